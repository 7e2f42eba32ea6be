// pack serve: reloads the page when the pack is rebuilt, keeping the
// scroll position. Served from /_pack/live.js (no inline script, so the
// Content-Security-Policy can forbid them).
(function () {
  "use strict";
  var key = "pack-serve-scroll:" + location.pathname;
  var meta = document.querySelector('meta[name="pack-generation"]');
  var mine = meta ? meta.getAttribute("content") : null;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved) || 0;
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  if (!window.EventSource) { return; }
  var events = new EventSource("/events");
  events.addEventListener("changed", function (e) {
    if (e.data === mine) { return; }
    mine = e.data;
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
})();
