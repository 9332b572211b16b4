// The catalogue's filters (formats/): they switch on over the list the server rendered, so that without
// JavaScript every format stays listed. Within a filter any checked value matches; filters apply together.
// Each value shows how many formats it would leave; the result count is announced; the URL holds the filter,
// and the language switcher keeps it. While the filters are folded, the chosen values show as chips that
// remove them; on a phone a button under the filters shows the results.
(function () {
  "use strict";
  var box = document.querySelector("[data-catalog-filters-box]");
  var form = document.querySelector("[data-catalog-filters]");
  var list = document.querySelector("[data-catalog]");
  var status = document.querySelector("[data-catalog-count]");
  if (!box || !form || !list || !status) return;
  var results = document.getElementById("catalog-results");
  var chips = document.querySelector("[data-catalog-chips]");
  var chipList = chips.querySelector("ul");
  var activeCount = box.querySelector("[data-active-count]");
  var showButton = form.querySelector("[data-show-results]");
  var copyButton = document.querySelector("[data-copy-link]");
  var copied = document.querySelector("[data-copied]");

  var tiles = Array.prototype.slice.call(list.children);
  var facets = Array.prototype.map.call(form.querySelectorAll("[data-facet]"), function (f) { return f.dataset.facet; });
  var inputs = {};
  facets.forEach(function (key) { inputs[key] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + key + '"]')); });
  // Each tile's values per filter, read once.
  var values = tiles.map(function (tile) {
    var own = {};
    facets.forEach(function (key) {
      own[key] = (tile.getAttribute("data-" + key.replace(/_/g, "-")) || "").split(" ").filter(Boolean);
    });
    return own;
  });

  // A text in the plural form the page's language uses for `count` (Romanian: "20 de formate").
  var plurals = new Intl.PluralRules(document.documentElement.lang);
  function pluralText(element, count) {
    var templates = JSON.parse(element.dataset.templates);
    return templates[plurals.select(count)] || templates.other;
  }
  function countText(count, total) {
    return pluralText(status, total).replace("{count}", count).replace("{total}", total);
  }

  function selection() {
    var chosen = {};
    facets.forEach(function (key) {
      chosen[key] = inputs[key].filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    });
    return chosen;
  }

  function matches(index, chosen, except) {
    return facets.every(function (key) {
      if (key === except || chosen[key].length === 0) return true;
      return chosen[key].some(function (value) { return values[index][key].indexOf(value) !== -1; });
    });
  }

  function query(chosen) {
    var params = new URLSearchParams();
    facets.forEach(function (key) { chosen[key].forEach(function (value) { params.append(key, value); }); });
    return params.toString();
  }

  // The language switcher's links lead to the same page in another language: give them the same filter.
  function keepInLanguageLinks(search) {
    document.querySelectorAll(".md-select a[hreflang]").forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.search = search;
      link.href = url.href;
    });
  }

  function renderChips(chosen) {
    chipList.textContent = "";
    var count = 0;
    facets.forEach(function (key) {
      chosen[key].forEach(function (value) {
        var input = inputs[key].filter(function (i) { return i.value === value; })[0];
        var name = input.parentNode.querySelector("[data-label]").textContent;
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "catalog-chip";
        button.textContent = name;
        button.setAttribute("aria-label", chips.dataset.remove.replace("{value}", name));
        button.addEventListener("click", function () {
          var next = item.nextElementSibling || item.previousElementSibling;
          input.checked = false;
          update();
          // Keep the keyboard where it was: on the next chip, else on the results.
          var target = next && chipList.contains(next) ? next.querySelector("button") : results;
          if (target) target.focus();
        });
        item.appendChild(button);
        chipList.appendChild(item);
        count += 1;
      });
    });
    chips.hidden = count === 0 || box.open;
    activeCount.textContent = count ? "(" + count + ")" : "";
    return count;
  }

  function update() {
    var chosen = selection();
    var shown = 0;
    tiles.forEach(function (tile, index) {
      var visible = matches(index, chosen, null);
      tile.hidden = !visible;
      if (visible) shown += 1;
    });
    facets.forEach(function (key) {
      inputs[key].forEach(function (input) {
        var count = 0;
        tiles.forEach(function (tile, index) {
          if (values[index][key].indexOf(input.value) !== -1 && matches(index, chosen, key)) count += 1;
        });
        input.parentNode.querySelector("[data-count-for]").textContent = "(" + count + ")";
        input.parentNode.classList.toggle("catalog-option--empty", count === 0 && !input.checked);
      });
    });
    status.textContent = shown ? countText(shown, tiles.length) : status.dataset.none;
    showButton.textContent = pluralText(showButton, shown).replace("{count}", shown);
    renderChips(chosen);
    var search = query(chosen);
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    keepInLanguageLinks(search ? "?" + search : "");
    if (copied) copied.textContent = "";
  }

  var fromUrl = new URLSearchParams(location.search);
  facets.forEach(function (key) {
    var wanted = fromUrl.getAll(key);
    inputs[key].forEach(function (input) { input.checked = wanted.indexOf(input.value) !== -1; });
  });
  // The filters start folded on a phone (so that the results come first); a wide screen opens them beside the
  // results.
  var wide = window.matchMedia("(min-width: 60em)");
  box.open = wide.matches;
  wide.addEventListener("change", function () { box.open = wide.matches; renderChips(selection()); });
  box.addEventListener("toggle", function () { renderChips(selection()); });
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  showButton.addEventListener("click", function () {
    box.open = false;
    results.focus();
    results.scrollIntoView({ block: "start" });
  });
  if (copyButton && navigator.clipboard) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(location.href).then(function () {
        copied.textContent = copied.dataset.copied;
      });
    });
  }
  update();
})();
