// Draws every table marked data-chart="trend" as a line chart above it. The table stays the content:
// without scripts, or without the chart library, the page reads the same.
(function () {
  "use strict";
  if (typeof window.Chart !== "function") {
    return;
  }

  var palette = { count: "#1f5fa8", percent: "#2e7d32", score: "#b35900" };

  function numberOrNull(text) {
    return text === "" ? null : Number(text);
  }

  document.querySelectorAll("table[data-chart='trend']").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = [];
    headers.forEach(function (header, column) {
      var series = header.dataset.series;
      if (!series) {
        return;
      }
      datasets.push({
        label: header.textContent.trim(),
        data: rows.map(function (row) { return numberOrNull(row.cells[column].dataset.value); }),
        borderColor: palette[series],
        backgroundColor: palette[series],
        yAxisID: series === "count" ? "count" : "share",
        spanGaps: true,
        tension: 0.2,
      });
    });

    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "趋势图，数据见下表 Trend chart; the table below has the figures");
    var frame = document.createElement("div");
    frame.className = "chart";
    frame.appendChild(canvas);
    var holder = table.closest("details");
    holder.parentNode.insertBefore(frame, holder);
    holder.open = false;

    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          count: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "评价数" } },
          share: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "% / 分" } },
        },
      },
    });
  });
})();
