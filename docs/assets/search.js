// The search box in the header, over Pagefind's index of this page's language (data-index: one per language).
// Pagefind is loaded when the box is first used, not with the page. Queries run on every `input` event,
// so that text typed by an input method or pasted is searched too, not only key presses.
(function () {
  "use strict";
  var root = document.querySelector("[data-toolbox-search]");
  if (!root) return;
  var input = root.querySelector("input");
  var form = root.querySelector("form");
  var panel = root.querySelector(".toolbox-search__results");
  var status = root.querySelector(".toolbox-search__status");
  var list = root.querySelector(".toolbox-search__list");
  var base = new URL(root.dataset.base, location.href);
  var loading = null;
  var latest = 0;

  function pagefind() {
    if (!loading) {
      loading = import(new URL(root.dataset.index, location.href).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () { return module; });
      });
    }
    return loading;
  }

  function show(open) {
    panel.hidden = !open;
  }

  function announce(count) {
    var text = count === 0 ? root.dataset.none : count === 1 ? root.dataset.one : root.dataset.other.replace("#", count);
    status.textContent = text;
  }

  function render(results, count, query) {
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.meta && result.meta.title ? result.meta.title : result.url;
      var excerpt = document.createElement("p");
      excerpt.innerHTML = result.excerpt; // Pagefind escapes the page text and marks the hits with <mark>
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    announce(count);
    show(true);
    root.dataset.shown = query; // which query the list shows (for assistive checks and tests)
  }

  // Pagefind answers a word it has not indexed with the pages of its longest indexed beginning ("Impfung"
  // finds every "im"). Such a list is unrelated to what was asked: when the best result's marked words share
  // no real beginning (four letters, or the whole word if shorter) with a word of the query, nothing was found.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function sharedStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
    return n;
  }
  function related(query, excerpt) {
    var marked = (excerpt.match(/<mark>[^<]*<\/mark>/g) || []).map(function (mark) {
      return folded(mark.replace(/<\/?mark>/g, "")).replace(/^[^\p{L}\p{N}]+/u, ""); // "(inundații)," too
    });
    if (!marked.length) return true; // found by its search words (formats/terminology.yml), not by its text
    var words = folded(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return words.some(function (word) {
      return marked.some(function (mark) { return sharedStart(word, mark) >= Math.min(4, word.length); });
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      show(false);
      return;
    }
    pagefind().then(function (pf) {
      return pf.debouncedSearch(query, {}, 120);
    }).then(function (found) {
      if (!found || ticket !== latest) return null; // a newer query is on its way
      return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (data) {
        if (ticket !== latest) return;
        if (data.length && !related(query, data[0].excerpt)) render([], 0, query);
        else render(data, found.results.length, query);
      });
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("focus", pagefind, { once: true });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.focus();
  });
  root.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      input.value = "";
      search();
      input.focus();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at !== -1) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) show(false);
  });
  input.addEventListener("focus", function () {
    if (list.children.length) show(true);
  });
})();
