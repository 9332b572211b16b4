/* Material's script bundle (back-to-top button, the table of contents following the scroll) is loaded at the
   reader's first scroll, key, touch or pointer movement instead of with the page (see overrides/main.html).
   The bundle waits for DOMContentLoaded, so the event is sent again once it has run. */
(function () {
  var bundle = document.currentScript.dataset.bundle;
  var events = ["scroll", "wheel", "keydown", "pointerdown", "pointermove", "touchstart", "focusin"];
  function load() {
    events.forEach(function (name) { removeEventListener(name, load, true); });
    var script = document.createElement("script");
    script.src = bundle;
    script.onload = function () { document.dispatchEvent(new Event("DOMContentLoaded")); };
    document.body.appendChild(script);
  }
  events.forEach(function (name) { addEventListener(name, load, { capture: true, passive: true }); });
})();
