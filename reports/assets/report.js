// Sortable tables and audio seeking. No network, no libraries.
(function () {
  function cellValue(row, index) {
    var cell = row.children[index];
    return cell ? (cell.getAttribute("data-value") || cell.textContent.trim()) : "";
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        headers.forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var numeric = th.getAttribute("data-type") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var cmp = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function seekTo(start) {
    var player = document.getElementById("player");
    if (!player || start === "" || start === null || isNaN(parseFloat(start))) { return; }
    player.currentTime = parseFloat(start);
    var playing = player.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }
  function followHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    document.querySelectorAll(".turn.current").forEach(function (t) { t.classList.remove("current"); });
    target.classList.add("current");
    target.scrollIntoView({ block: "center" });
    var player = document.getElementById("player");
    if (player && target.hasAttribute("data-start")) { player.currentTime = parseFloat(target.getAttribute("data-start")) || 0; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll(".turn").forEach(function (turn) {
      turn.addEventListener("click", function () { seekTo(turn.getAttribute("data-start")); });
    });
    window.addEventListener("hashchange", followHash);
    followHash();
  });
})();
