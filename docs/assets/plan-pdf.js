// The PDF of a plan, assembled in the reader's browser (no server): a cover with the plan's overview — the
// formats in order with their key facts and pages, what the plan reaches and what none of its formats does,
// the timeline by living-lab phase — then each chosen card's own PDF as the site publishes it, with a bookmark
// per card, the fonts embedded, the document's language and title set. Loaded by assets/plan.js only when a
// reader asks for the PDF, after pdf-lib and its fontkit (assets/vendor/, from npm).
/* global PDFLib, fontkit */
(function () {
  "use strict";
  var A4 = [595.28, 841.89];
  var MARGIN = 56;
  var INK = PDFLib.rgb(0.13, 0.13, 0.13);
  var MUTED = PDFLib.rgb(0.36, 0.38, 0.4);
  var TEAL = PDFLib.rgb(0, 0.41, 0.36);
  var PALE = PDFLib.rgb(0.94, 0.95, 0.95);

  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url.split("/").pop() + ": " + response.status);
      return response.arrayBuffer();
    });
  }

  // Words joined into lines no wider than `width` at `size` (a word wider than the line is cut).
  function wrap(text, font, size, width) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (font.widthOfTextAtSize(next, size) <= width) {
        line = next;
        return;
      }
      if (line) lines.push(line);
      while (font.widthOfTextAtSize(word, size) > width && word.length > 1) {
        var cut = word.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > width) cut -= 1;
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
      }
      line = word;
    });
    if (line) lines.push(line);
    return lines;
  }

  // The cover's pages, written top to bottom; a new page when one is full.
  function Writer(doc, fonts) {
    this.doc = doc;
    this.fonts = fonts;
    this.pages = [];
    this.newPage();
  }
  Writer.prototype.newPage = function () {
    this.page = this.doc.insertPage(this.pages.length, A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN;
  };
  Writer.prototype.room = function (height) {
    if (this.y - height < MARGIN) this.newPage();
  };
  Writer.prototype.text = function (text, options) {
    options = options || {};
    var font = options.bold ? this.fonts.bold : this.fonts.regular;
    var size = options.size || 10;
    var indent = options.indent || 0;
    var lines = wrap(text, font, size, A4[0] - 2 * MARGIN - indent);
    var self = this;
    lines.forEach(function (line) {
      self.room(size * 1.35);
      self.y -= size * 1.35;
      self.page.drawText(line, { x: MARGIN + indent, y: self.y, size: size, font: font, color: options.color || INK });
    });
    this.y -= options.after === undefined ? size * 0.4 : options.after;
  };
  Writer.prototype.gap = function (height) {
    this.y -= height;
  };

  // The timeline as on the page: phases as columns, a row per format with a bar in each phase it serves.
  function drawTimeline(writer, data, formats) {
    var phases = data.order.phases || [];
    var width = A4[0] - 2 * MARGIN;
    var labelWidth = 150;
    var column = (width - labelWidth) / Math.max(phases.length, 1);
    var row = 16;
    var head = 26;
    var fonts = writer.fonts;
    writer.room(head + row * Math.min(formats.length, 20) + 10);
    writer.text(data.words.plan_timeline, { bold: true, size: 12, after: 6 });
    var top = writer.y;
    phases.forEach(function (phase, i) {
      var x = MARGIN + labelWidth + i * column;
      writer.page.drawRectangle({ x: x + 1, y: top - head - row * formats.length, width: column - 2,
                                  height: head + row * formats.length, color: PALE });
      wrap(data.label.phases[phase], fonts.bold, 7.5, column - 6).slice(0, 2).forEach(function (line, n) {
        writer.page.drawText(line, { x: x + 3, y: top - 10 - n * 9, size: 7.5, font: fonts.bold, color: INK });
      });
    });
    formats.forEach(function (format, r) {
      var y = top - head - (r + 1) * row;
      if (y < MARGIN) return; // a very long plan: the list above has every format
      var name = wrap((r + 1) + ". " + format.title, fonts.regular, 7.5, labelWidth - 6)[0];
      writer.page.drawText(name, { x: MARGIN, y: y + 5, size: 7.5, font: fonts.regular, color: INK });
      (format.facts.phases || []).forEach(function (phase) {
        var i = phases.indexOf(phase);
        if (i === -1) return;
        writer.page.drawRectangle({ x: MARGIN + labelWidth + i * column + 4, y: y + 3, width: column - 8,
                                    height: row - 6, color: TEAL });
      });
    });
    writer.y = Math.max(top - head - row * formats.length - 14, MARGIN);
  }

  function outline(doc, entries) {
    // pdf-lib has no outline API: the dictionaries are written as the PDF reference (12.3.3) describes them.
    var context = doc.context;
    var root = context.nextRef();
    var refs = entries.map(function () { return context.nextRef(); });
    entries.forEach(function (entry, i) {
      var item = { Title: PDFLib.PDFHexString.fromText(entry.title), Parent: root,
                   Dest: context.obj([doc.getPage(entry.page).ref, PDFLib.PDFName.of("Fit")]) };
      if (i > 0) item.Prev = refs[i - 1];
      if (i < entries.length - 1) item.Next = refs[i + 1];
      context.assign(refs[i], context.obj(item));
    });
    context.assign(root, context.obj({ Type: "Outlines", First: refs[0], Last: refs[refs.length - 1],
                                       Count: entries.length }));
    doc.catalog.set(PDFLib.PDFName.of("Outlines"), root);
    doc.catalog.set(PDFLib.PDFName.of("PageMode"), PDFLib.PDFName.of("UseOutlines"));
  }

  // The cover's pages (inserted before the cards): returns how many it took.
  function writeCover(doc, fonts, data, formats, summary, overview, pageOf) {
    var writer = new Writer(doc, fonts);
    writer.text(data.words.site_name, { size: 10, color: MUTED, after: 2 });
    writer.text(data.words.plan_title, { bold: true, size: 22, after: 4 });
    writer.text(new Date().toLocaleDateString(document.documentElement.lang,
                                              { year: "numeric", month: "long", day: "numeric" }),
                { size: 10, color: MUTED, after: 2 });
    writer.text(data.words.online_at + ": " + location.href, { size: 8, color: MUTED, after: 12 });
    writer.text(data.words.plan_formats, { bold: true, size: 13, after: 6 });
    formats.forEach(function (format, i) {
      writer.room(60);
      writer.text((i + 1) + ". " + format.title, { bold: true, size: 11, after: 1 });
      var about = overview(data, format);
      writer.text(about.phases, { size: 8.5, color: MUTED, indent: 12, after: 1 });
      writer.text(about.facts, { size: 8.5, indent: 12, after: 1 });
      writer.text(pageOf(i), { size: 8.5, color: MUTED, indent: 12, after: 8 });
    });
    writer.gap(6);
    writer.text(data.words.plan_summary, { bold: true, size: 13, after: 6 });
    summary.forEach(function (part) {
      writer.room(40);
      writer.text(part[0], { bold: true, size: 10, after: 1 });
      part[1].forEach(function (line) { writer.text(line, { size: 9, indent: 12, after: 1 }); });
      writer.gap(6);
    });
    writer.gap(6);
    drawTimeline(writer, data, formats);
    return writer.pages.length;
  }

  // `plan`: the slugs in order; `root`: the way from the page to the site's root; `summary`: the lines of
  // "what the plan covers" as the page shows them ([heading, [lines]]); `overview(data, format)`: a format's
  // phases and key facts in words, as the page's list has them.
  function make(data, plan, lang, root, summary, overview) {
    var formats = plan.map(function (slug) { return data.bySlug[slug]; });
    return Promise.all([
      PDFLib.PDFDocument.create(),
      fetchBytes(root + "assets/fonts/SourceSans3-Regular.ttf"),
      fetchBytes(root + "assets/fonts/SourceSans3-Bold.ttf"),
      Promise.all(formats.map(function (f) { return fetchBytes(root + "downloads/" + lang + "/" + f.slug + ".pdf"); }))
    ]).then(function (loaded) {
      var doc = loaded[0];
      doc.registerFontkit(fontkit);
      return Promise.all([doc.embedFont(loaded[1], { subset: true }), doc.embedFont(loaded[2], { subset: true }),
                          Promise.all(loaded[3].map(function (bytes) { return PDFLib.PDFDocument.load(bytes); }))])
        .then(function (parts) {
          var fonts = { regular: parts[0], bold: parts[1] };
          var cards = parts[2];
          // The cards first (their pages are known then), the cover inserted before them.
          var starts = [];
          var chain = Promise.resolve();
          cards.forEach(function (card) {
            chain = chain.then(function () {
              return doc.copyPages(card, card.getPageIndices()).then(function (pages) {
                starts.push(doc.getPageCount());
                pages.forEach(function (page) { doc.addPage(page); });
              });
            });
          });
          return chain.then(function () {
            // The cover is written twice: first to learn how many pages it takes, then with the page on which
            // each card begins (the same lines either way, so the same length).
            var coverPages = writeCover(doc, fonts, data, formats, summary, overview, function () {
              return data.words.page_ref + " 000";
            });
            for (var i = 0; i < coverPages; i += 1) doc.removePage(0);
            writeCover(doc, fonts, data, formats, summary, overview, function (index) {
              return data.words.page_ref + " " + (starts[index] + coverPages + 1);
            });
            var entries = [{ title: data.words.plan_title, page: 0 }].concat(formats.map(function (format, index) {
              return { title: (index + 1) + ". " + format.title, page: starts[index] + coverPages };
            }));
            outline(doc, entries);
            doc.setTitle(data.words.plan_title + " – " + data.words.site_name, { showInWindowTitleBar: true });
            doc.setLanguage(lang);
            doc.setCreator(data.words.site_name);
            doc.setProducer("pdf-lib");
            return doc.save({ objectsPerTick: Infinity });
          });
        });
    });
  }

  window.ToolboxPlanPdf = { make: make };
})();
