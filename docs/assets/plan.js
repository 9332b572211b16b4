// Planning with the toolbox: "add to plan" on cards and tiles, choosing formats to compare in the catalogue,
// the plan page (plan/?formats=a,b,c) and the comparison (compare/?formats=a,b). The address holds the plan,
// so that a link shows the same plan anywhere; while a reader adds formats page by page, the list is kept in
// the browser's local storage (never sent anywhere) and removed when the plan is emptied. Every text comes from
// the page (interface words, the formats' data); nothing from the address is ever inserted as HTML.
(function () {
  "use strict";
  var KEY = "toolbox-plan";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX_COMPARED = 4;
  var plurals = new Intl.PluralRules(document.documentElement.lang);

  function plural(forms, count) {
    return typeof forms === "string" ? forms : (forms[plurals.select(count)] || forms.other);
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? String(values[key]) : all; });
  }
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "className") node.className = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function svg(tag, attributes, text) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The plan being put together: [slug, index of its first living-lab phase] in the plan's order.
  function storedEntries() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY));
      return Array.isArray(list) ? list.filter(function (e) {
        return Array.isArray(e) && typeof e[0] === "string" && SLUG.test(e[0]) && typeof e[1] === "number";
      }) : [];
    } catch (error) {
      return [];
    }
  }
  function stored() {
    return storedEntries().map(function (e) { return e[0]; });
  }
  function storeEntries(entries) {
    try {
      if (entries.length) localStorage.setItem(KEY, JSON.stringify(entries));
      else localStorage.removeItem(KEY);
    } catch (error) { /* storage off or full: the address still holds the plan */ }
  }
  // A format added goes after the formats of its phase and of earlier ones, before those of later phases.
  function addEntry(entries, slug, phase) {
    var at = entries.length;
    while (at > 0 && entries[at - 1][1] > phase) at -= 1;
    entries.splice(at, 0, [slug, phase]);
    return entries;
  }

  // The slugs an address names (?formats=a,b,c): the known ones once each, in order, and what was left out.
  function fromAddress(known, limit) {
    var raw = new URLSearchParams(location.search).get("formats");
    if (raw === null) return null;
    var chosen = [], left = [];
    raw.split(",").forEach(function (item) {
      var slug = item.trim();
      if (!slug) return;
      if (SLUG.test(slug) && known[slug] && chosen.indexOf(slug) === -1 && chosen.length < limit) chosen.push(slug);
      else left.push(slug.length > 40 ? slug.slice(0, 39) + "…" : slug);
    });
    return { chosen: chosen, left: left };
  }
  function address(list) {
    return location.pathname + (list.length ? "?formats=" + list.map(encodeURIComponent).join(",") : "");
  }

  // -- "Add to plan" buttons (card pages, catalogue tiles) and the compare choice in the catalogue ------------
  var words = document.querySelector("[data-plan-words]");
  function planButtons() {
    if (!words) return;
    var open = JSON.parse(words.dataset.open);
    var buttons = document.querySelectorAll("[data-plan-add]");
    var opener = document.querySelector("[data-plan-open]");
    function show() {
      var plan = stored();
      buttons.forEach(function (button) {
        var inPlan = plan.indexOf(button.dataset.planAdd) !== -1;
        button.textContent = inPlan ? words.dataset.in : words.dataset.add;
        button.dataset.inPlan = inPlan ? "true" : "false"; // the words say the state: no aria-pressed as well
        button.hidden = false;
      });
      if (opener) {
        opener.hidden = plan.length === 0;
        opener.textContent = fill(plural(open, plan.length), { count: plan.length });
        opener.href = words.dataset.url + (plan.length ? "?formats=" + plan.join(",") : "");
      }
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var entries = storedEntries(), slug = button.dataset.planAdd;
        var at = entries.map(function (e) { return e[0]; }).indexOf(slug);
        if (at === -1) addEntry(entries, slug, Number(button.dataset.planPhase) || 0);
        else entries.splice(at, 1);
        storeEntries(entries);
        show();
      });
    });
    addEventListener("storage", function (event) { if (event.key === KEY) show(); });
    show();
  }

  function comparePicks() {
    var link = document.querySelector("[data-compare-link]");
    if (!link) return;
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-compare-pick]"));
    var forms = JSON.parse(link.dataset.templates);
    var picked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    function update(event) {
      var box = event && event.target;  // the columns come in the order the formats were picked
      if (box && box.checked && picked.indexOf(box.value) === -1) picked.push(box.value);
      if (box && !box.checked) picked = picked.filter(function (slug) { return slug !== box.value; });
      boxes.forEach(function (b) { b.disabled = !b.checked && picked.length >= MAX_COMPARED; });
      link.hidden = picked.length === 0;
      link.textContent = picked.length < 2 ? link.dataset.need : fill(plural(forms, picked.length), { count: picked.length });
      link.href = link.dataset.url + "?formats=" + picked.join(",");
      link.setAttribute("aria-disabled", picked.length < 2 ? "true" : "false");
    }
    link.addEventListener("click", function (event) { if (link.getAttribute("aria-disabled") === "true") event.preventDefault(); });
    boxes.forEach(function (box) {
      box.closest("[data-tile-actions]").hidden = false;
      box.addEventListener("change", update);
    });
    update();
  }

  // -- The data of the plan and comparison pages ------------------------------------------------------------
  function planningData() {
    var script = document.getElementById("toolbox-planning-data");
    var data = JSON.parse(script.textContent);
    data.bySlug = {};
    data.formats.forEach(function (f) { data.bySlug[f.slug] = f; });
    data.label = {};
    data.order = {};
    Object.keys(data.labels).forEach(function (kind) {
      data.label[kind] = {};
      data.order[kind] = data.labels[kind].map(function (pair) { data.label[kind][pair[0]] = pair[1]; return pair[0]; });
    });
    data.fact = {};
    data.facts.forEach(function (fact) { data.fact[fact.key] = fact; });
    return data;
  }
  function factText(data, format, key) {
    var fact = data.fact[key];
    var values = format.facts[key] || [];
    if (!values.length) return fact.many ? "–" : data.words.not_stated;
    return values.map(function (v) { return data.label[fact.kind][v] || v; }).join(", ");
  }
  // A format in a plan, in words (the plan's list and its PDF): its phases and its key facts.
  var KEY_FACTS = ["effort", "cost", "duration.preparation", "duration.event"];
  function overview(data, format) {
    var phases = (format.facts.phases || []).map(function (p) { return data.label.phases[p]; }).join(", ");
    var facts = KEY_FACTS.filter(function (k) { return data.fact[k]; })
      .map(function (k) { return data.fact[k].name + ": " + factText(data, format, k); }).join(" · ");
    return { phases: phases || data.words.no_phase, facts: facts };
  }
  function titleLink(lang, format, prefix) {
    var link = element("a", { href: prefix + "formats/" + format.slug + "/", text: format.title });
    if (format.lang !== lang) link.setAttribute("lang", format.lang);
    return link;
  }
  function notice(container, data, left) {
    if (!left.length) return;
    container.appendChild(element("p", { className: "toolbox-tool__notice", role: "status",
                                         text: fill(data.words.plan_left_out, { items: left.join(", ") }) }));
  }
  function copyLink(data) {
    if (!navigator.clipboard) return null;
    var said = element("span", { className: "toolbox-tool__said", role: "status" });
    var button = element("button", { type: "button", className: "md-button", text: data.words.copy_link });
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(location.href).then(function () { said.textContent = data.words.link_copied; });
    });
    return element("p", { className: "toolbox-tool__actions" }, [button, said]);
  }

  // -- The plan page -------------------------------------------------------------------------------------------
  function firstPhase(data, format) {
    var phases = format.facts.phases || [];
    var at = phases.map(function (p) { return data.order.phases.indexOf(p); }).filter(function (i) { return i >= 0; });
    return at.length ? Math.min.apply(null, at) : data.order.phases.length;
  }

  function planPage(root) {
    var started = performance.now(); // how long reading the data and drawing take (`toolbox.py bench --cards`)
    var data = planningData();
    var lang = root.dataset.lang;
    var given = fromAddress(data.bySlug, Infinity);
    var plan = given ? given.chosen : stored().filter(function (s) { return data.bySlug[s]; });
    root.querySelector("[data-noscript]").remove();
    var left = given ? given.left : [];
    function store(list) {
      storeEntries(list.map(function (slug) { return [slug, firstPhase(data, data.bySlug[slug])]; }));
    }

    function move(slug, by) {
      var at = plan.indexOf(slug), to = at + by;
      if (to < 0 || to >= plan.length) return;
      plan.splice(at, 1);
      plan.splice(to, 0, slug);
    }

    function draw(focus) {
      store(plan);
      history.replaceState(null, "", address(plan));
      root.textContent = "";
      notice(root, data, left);
      if (!plan.length) {
        root.appendChild(element("p", { className: "toolbox-tool__empty", text: data.words.plan_empty }));
        return;
      }
      var formats = plan.map(function (slug) { return data.bySlug[slug]; });
      root.appendChild(copyLink(data));
      root.appendChild(pdfButton(data, root, plan));
      root.appendChild(element("h2", { id: "plan-formats", text: data.words.plan_formats }));
      var list = element("ol", { className: "plan-list" });
      formats.forEach(function (format, index) {
        var buttons = [
          ["move_up", "↑", -1, index === 0], ["move_down", "↓", 1, index === formats.length - 1]
        ].map(function (spec) {
          var button = element("button", { type: "button", className: "plan-list__button", text: spec[1],
                                           "aria-label": fill(data.words[spec[0]], { title: format.title }),
                                           "data-action": spec[0] });
          button.disabled = spec[3];
          button.addEventListener("click", function () { move(format.slug, spec[2]); draw([format.slug, spec[0]]); });
          return button;
        });
        var remove = element("button", { type: "button", className: "plan-list__button plan-list__remove", text: "×",
                                         "aria-label": fill(data.words.remove_from_plan, { title: format.title }),
                                         "data-action": "remove" });
        remove.addEventListener("click", function () {
          var next = plan[index + 1] || plan[index - 1];
          plan.splice(index, 1);
          draw(next ? [next, "remove"] : null);
        });
        var about = overview(data, format);
        var pdf = element("a", { href: root.dataset.root + "downloads/" + lang + "/" + format.slug + ".pdf",
                                 text: data.words.download_card });
        list.appendChild(element("li", { className: "plan-list__item", "data-slug": format.slug }, [
          element("div", { className: "plan-list__text" }, [
            element("p", { className: "plan-list__phase", text: about.phases }),
            element("p", { className: "plan-list__title" }, [titleLink(lang, format, "../")]),
            element("p", { className: "plan-list__facts", text: about.facts }),
            element("p", { className: "plan-list__pdf" }, [pdf])
          ]),
          element("div", { className: "plan-list__buttons" }, buttons.concat([remove]))
        ]));
      });
      root.appendChild(list);
      root.appendChild(timeline(data, formats));
      root.appendChild(summary(data, formats));
      if (focus) {
        var target = root.querySelector('[data-slug="' + focus[0] + '"] [data-action="' + focus[1] + '"]');
        if (target && target.disabled) target = root.querySelector('[data-slug="' + focus[0] + '"] [data-action="remove"]');
        if (target) target.focus();
      } else if (focus === null) {
        root.focus();
      }
    }
    root.setAttribute("tabindex", "-1");
    draw();
    performance.measure("toolbox-plan", { start: started });
  }

  // What the chosen formats reach, and what none of them does; how effort, cost and durations add up:
  // [heading, [lines], key of the facts whose misses the second line names (or null)], for the page and the PDF.
  function summaryParts(data, formats) {
    var parts = [];
    ["target_groups", "hazards"].filter(function (k) { return data.fact[k]; }).forEach(function (key) {
      var fact = data.fact[key];
      var reached = data.order[fact.kind].filter(function (v) {
        return formats.some(function (f) { return (f.facts[key] || []).indexOf(v) !== -1; });
      });
      var missed = data.order[fact.kind].filter(function (v) { return reached.indexOf(v) === -1; });
      var names = function (values) {
        return values.map(function (v) { return data.label[fact.kind][v]; }).join(", ") || data.words.plan_nothing_missed;
      };
      parts.push([fact.name, [data.words.plan_reached + ": " + names(reached),
                              data.words.plan_missed + ": " + names(missed)], key]);
    });
    function counts(key) {
      var fact = data.fact[key];
      if (!fact) return "";
      var items = data.order[fact.kind].map(function (v) {
        var n = formats.filter(function (f) { return (f.facts[key] || []).indexOf(v) !== -1; }).length;
        return n ? n + " × " + data.label[fact.kind][v] : "";
      }).filter(Boolean);
      var none = formats.filter(function (f) { return !(f.facts[key] || []).length; }).length;
      if (none) items.push(none + " × " + data.words.not_stated);
      return fact.name + ": " + items.join(", ");
    }
    [["plan_levels", ["effort", "cost"]], ["plan_durations", ["duration.preparation", "duration.event"]]]
      .forEach(function (group) {
        var lines = group[1].map(counts).filter(Boolean);
        if (lines.length) parts.push([data.words[group[0]], lines, null]);
      });
    return parts;
  }

  function summary(data, formats) {
    var box = element("section", { className: "plan-summary", "aria-labelledby": "plan-summary" },
                      [element("h2", { id: "plan-summary", text: data.words.plan_summary })]);
    var list = element("dl");
    summaryParts(data, formats).forEach(function (part) {
      list.appendChild(element("dt", { text: part[0] }));
      var lines = part[1].map(function (line, i) {
        return part[2] && i === 1
          ? element("strong", { className: "plan-summary__missed", "data-missed": part[2], text: line })
          : element("span", { text: line });
      });
      list.appendChild(element("dd", {}, lines.reduce(function (nodes, line, i) {
        if (i) nodes.push(element("br"));
        nodes.push(line);
        return nodes;
      }, [])));
    });
    box.appendChild(list);
    return box;
  }

  // The plan as one PDF, assembled here from the cards' PDFs (assets/plan-pdf.js, with pdf-lib and its fontkit
  // from assets/vendor/, loaded only now).
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = element("script", { src: src });
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src.split("/").pop())); };
      document.head.appendChild(script);
    });
  }
  var pdfCode = null;
  function pdfButton(data, root, plan) {
    var said = element("span", { className: "toolbox-tool__said", role: "status" });
    var button = element("button", { type: "button", className: "md-button md-button--primary", text: data.words.plan_pdf,
                                      "data-plan-pdf": "" });
    button.addEventListener("click", function () {
      var base = root.dataset.root;
      button.disabled = true;
      said.textContent = data.words.plan_pdf_working;
      pdfCode = pdfCode || loadScript(base + "assets/vendor/pdf-lib.min.js")
        .then(function () { return loadScript(base + "assets/vendor/fontkit.umd.min.js"); })
        .then(function () { return loadScript(base + "assets/plan-pdf.js"); });
      pdfCode.then(function () {
        var parts = summaryParts(data, plan.map(function (slug) { return data.bySlug[slug]; }));
        return window.ToolboxPlanPdf.make(data, plan, root.dataset.lang, base, parts, overview);
      }).then(function (bytes) {
        var link = element("a", { href: URL.createObjectURL(new Blob([bytes], { type: "application/pdf" })),
                                  download: data.words.plan_file + ".pdf" });
        document.body.appendChild(link);
        link.click();
        link.remove();
        said.textContent = data.words.plan_pdf_done;
      }).catch(function (error) {
        pdfCode = null;
        said.textContent = fill(data.words.plan_pdf_failed, { reason: error && error.message ? error.message : "?" });
      }).then(function () { button.disabled = false; });
    });
    return element("p", { className: "toolbox-tool__actions" }, [button, said]);
  }

  // Words joined into lines of about `width` characters (at most two; the rest shortened).
  function lines(text, width) {
    var out = [""];
    text.split(" ").forEach(function (word) {
      var last = out.length - 1;
      if (out[last] && (out[last] + " " + word).length > width) out.push(word);
      else out[last] = out[last] ? out[last] + " " + word : word;
    });
    if (out.length > 2) out = [out[0], out.slice(1).join(" ")];
    if (out[1] && out[1].length > width) out[1] = out[1].slice(0, width - 1) + "…";
    return out;
  }

  // The living-lab phases as columns, each chosen format a row with a bar in each phase it serves (SVG), and
  // the same as text for screen readers (the figure's description).
  function timeline(data, formats) {
    var phases = data.order.phases || [];
    var labelWidth = 220, column = 130, row = 30, head = 40;
    var width = labelWidth + column * phases.length, height = head + row * formats.length + 8;
    var id = "plan-timeline";
    var picture = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "plan-timeline__svg",
                               "aria-labelledby": id + "-title " + id + "-desc", width: width, height: height });
    picture.appendChild(svg("title", { id: id + "-title" }, data.words.plan_timeline));
    var description = phases.map(function (p) {
      var names = formats.filter(function (f) { return (f.facts.phases || []).indexOf(p) !== -1; })
        .map(function (f) { return f.title; });
      return data.label.phases[p] + ": " + (names.join(", ") || "–");
    }).join(". ");
    picture.appendChild(svg("desc", { id: id + "-desc" }, description));
    phases.forEach(function (p, i) {
      var x = labelWidth + i * column;
      picture.appendChild(svg("rect", { x: x + 1, y: 0, width: column - 2, height: height, class: "plan-timeline__column" }));
      var label = svg("text", { x: x + column / 2, y: 14, "text-anchor": "middle", class: "plan-timeline__phase" });
      lines(data.label.phases[p], 18).forEach(function (line, n) {
        label.appendChild(svg("tspan", { x: x + column / 2, dy: n ? 14 : 0 }, line));
      });
      picture.appendChild(label);
    });
    formats.forEach(function (f, r) {
      var y = head + r * row;
      var name = f.title.length > 30 ? f.title.slice(0, 29) + "…" : f.title;
      picture.appendChild(svg("text", { x: 4, y: y + 19, class: "plan-timeline__name" }, (r + 1) + ". " + name));
      (f.facts.phases || []).forEach(function (p) {
        var i = phases.indexOf(p);
        if (i === -1) return;
        picture.appendChild(svg("rect", { x: labelWidth + i * column + 6, y: y + 5, width: column - 12, height: row - 10,
                                          rx: 4, class: "plan-timeline__bar" }));
      });
    });
    return element("figure", { className: "plan-timeline" }, [
      element("div", { className: "plan-timeline__scroll", tabindex: "0", role: "group",
                       "aria-label": data.words.plan_timeline }, [picture]),
      element("figcaption", { text: data.words.plan_timeline })
    ]);
  }

  // -- The comparison ------------------------------------------------------------------------------------------
  function comparePage(root) {
    var data = planningData();
    var lang = root.dataset.lang;
    var given = fromAddress(data.bySlug, MAX_COMPARED) || { chosen: [], left: [] };
    var chosen = given.chosen, left = given.left;
    var onlyDifferences = false;
    root.querySelector("[data-noscript]").remove();

    function draw(focus) { // focus: what keeps the keyboard after drawing ("toggle", "select")
      history.replaceState(null, "", address(chosen));
      root.textContent = "";
      notice(root, data, left);
      var formats = chosen.map(function (s) { return data.bySlug[s]; });
      if (chosen.length < 2) root.appendChild(element("p", { className: "toolbox-tool__empty", text: data.words.compare_need }));
      if (chosen.length) {
        root.appendChild(copyLink(data));
        var toggle = element("input", { type: "checkbox", id: "compare-differences" });
        toggle.checked = onlyDifferences;
        toggle.addEventListener("change", function () { onlyDifferences = toggle.checked; draw("toggle"); });
        root.appendChild(element("p", { className: "compare__toggle" }, [toggle,
          element("label", { for: "compare-differences", text: " " + data.words.only_differences })]));
        var head = element("tr", {}, [element("th", { scope: "col", text: data.words.fact })]);
        formats.forEach(function (f) {
          var remove = element("button", { type: "button", className: "plan-list__button", text: "×",
                                            "aria-label": fill(data.words.remove_from_comparison, { title: f.title }) });
          remove.addEventListener("click", function () { chosen.splice(chosen.indexOf(f.slug), 1); draw("select"); });
          head.appendChild(element("th", { scope: "col" }, [titleLink(lang, f, "../"), document.createTextNode(" "), remove]));
        });
        var body = element("tbody");
        data.facts.forEach(function (fact) {
          var texts = formats.map(function (f) { return factText(data, f, fact.key); });
          var differs = texts.some(function (t) { return t !== texts[0]; });
          if (onlyDifferences && !differs) return;
          var header = element("th", { scope: "row", text: fact.name });
          if (differs) header.appendChild(element("span", { className: "compare__differs", text: " (" + data.words.differs + ")" }));
          var tr = element("tr", { className: differs ? "compare__row--differs" : "" }, [header]);
          texts.forEach(function (t) { tr.appendChild(element("td", { text: t })); });
          body.appendChild(tr);
        });
        var summaries = element("tr", {}, [element("th", { scope: "row", text: "" })]);
        formats.forEach(function (f) {
          var cell = element("td", { text: f.summary, className: "compare__summary" });
          if (f.lang !== lang) cell.setAttribute("lang", f.lang);
          summaries.appendChild(cell);
        });
        body.insertBefore(summaries, body.firstChild);
        root.appendChild(element("div", { className: "compare__scroll", tabindex: "0", role: "group",
                                          "aria-labelledby": "compare-caption" }, [element("table", { className: "compare__table" }, [
          element("caption", { id: "compare-caption", text: fill(plural(data.words.compare_selected, formats.length), { count: formats.length }) }),
          element("thead", {}, [head]), body])]));
      }
      if (chosen.length < MAX_COMPARED) {
        var select = element("select", { id: "compare-add" }, [element("option", { value: "", text: "–" })]);
        data.formats.filter(function (f) { return chosen.indexOf(f.slug) === -1; })
          .sort(function (a, b) { return a.title.localeCompare(b.title, lang); })
          .forEach(function (f) { select.appendChild(element("option", { value: f.slug, text: f.title })); });
        var add = element("button", { type: "button", className: "md-button", text: data.words.compare });
        add.addEventListener("click", function () {
          if (!select.value) return;
          chosen.push(select.value);
          left = [];
          draw("select");
        });
        root.appendChild(element("p", { className: "compare__add" }, [
          element("label", { for: "compare-add", text: data.words.compare_choose + " " }), select, add]));
        if (focus === "select") select.focus();
      }
      if (focus === "toggle") document.getElementById("compare-differences").focus();
    }
    draw();
  }

  planButtons();
  comparePicks();
  var plan = document.querySelector("[data-plan-page]");
  if (plan) planPage(plan);
  var compare = document.querySelector("[data-compare-page]");
  if (compare) comparePage(compare);
})();
