// The catalogue's filters (formats/): they switch on over the list the server rendered, so that without
// JavaScript every format stays listed. Within a filter any checked value matches; filters apply together.
// Each value shows how many formats it would leave; the result count is announced; the URL holds the filter.
(function () {
  "use strict";
  var box = document.querySelector("[data-catalog-filters-box]");
  var form = document.querySelector("[data-catalog-filters]");
  var list = document.querySelector("[data-catalog]");
  var status = document.querySelector("[data-catalog-count]");
  if (!box || !form || !list || !status) return;

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

  // "{count} of {total} formats" in the plural form the page's language uses for the total (Romanian: "20 de").
  var templates = JSON.parse(status.dataset.templates);
  var plurals = new Intl.PluralRules(document.documentElement.lang);
  function countText(count, total) {
    var template = templates[plurals.select(total)] || templates.other;
    return template.replace("{count}", count).replace("{total}", total);
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
    status.textContent = shown
      ? countText(shown, tiles.length)
      : status.dataset.none;
    var params = new URLSearchParams();
    facets.forEach(function (key) { chosen[key].forEach(function (value) { params.append(key, value); }); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  var fromUrl = new URLSearchParams(location.search);
  facets.forEach(function (key) {
    var wanted = fromUrl.getAll(key);
    inputs[key].forEach(function (input) { input.checked = wanted.indexOf(input.value) !== -1; });
  });
  // The filters start folded (so that nothing moves on a phone); a wide screen or a filter in the URL opens them.
  if (fromUrl.toString() || window.matchMedia("(min-width: 45em)").matches) box.open = true;
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
