// Dashboard chart: daily sales and receipts values, read from the json_script block.
(function () {
  "use strict";
  var canvas = document.getElementById("sales-receipts-chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof window.Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: "Sales value",
          data: data.sales,
          backgroundColor: "rgba(25, 135, 84, 0.7)",
          borderColor: "rgb(25, 135, 84)",
          borderWidth: 1
        },
        {
          label: "Receipts value",
          type: "line",
          data: data.receipts,
          borderColor: "rgb(13, 110, 253)",
          backgroundColor: "rgba(13, 110, 253, 0.2)",
          tension: 0.2,
          pointRadius: 2
        }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true } }
    }
  });
  canvas.dataset.chartRendered = "true";
  window.dashboardChart = chart;
})();
