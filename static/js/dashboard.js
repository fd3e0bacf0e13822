/* Dashboard charts: the data comes from the page's json_script block, ECharts draws it. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) { return; }
  var charts = JSON.parse(JSON.parse(source.textContent));
  document.querySelectorAll(".chart").forEach(function (element) {
    var spec = charts[Number(element.dataset.index)];
    if (!spec.values.some(function (v) { return v > 0; })) {
      var p = document.createElement("p");
      p.className = "text-secondary mb-0";
      p.textContent = element.dataset.empty || "";
      element.replaceWith(p);
      return;
    }
    var chart = echarts.init(element);
    var option = spec.kind === "pie"
      ? {tooltip: {trigger: "item"}, series: [{type: "pie", radius: "65%",
          data: spec.labels.map(function (l, i) { return {name: l, value: spec.values[i]}; })}]}
      : {tooltip: {trigger: "axis"}, grid: {left: 60, right: 20, top: 20, bottom: 60},
         xAxis: {type: "category", data: spec.labels, axisLabel: {rotate: 30}},
         yAxis: {type: "value"}, series: [{type: spec.kind, data: spec.values}]};
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
