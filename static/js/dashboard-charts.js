/* The home page's charts (ECharts): continuous months come from the server; a single
   point stays visible (symbols always drawn); counts get whole-number axes. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(JSON.parse(source.textContent));
  document.querySelectorAll(".dashboard-chart").forEach(function (element) {
    var spec = charts[Number(element.dataset.index)];
    if (!spec.values.some(function (v) { return v > 0; })) {
      var empty = document.createElement("p");
      empty.className = "text-secondary mb-0";
      empty.textContent = element.dataset.empty;
      element.replaceWith(empty);
      return;
    }
    var chart = echarts.init(element);
    var option = spec.kind === "pie"
      ? {tooltip: {trigger: "item"}, series: [{type: "pie", radius: "65%",
          data: spec.labels.map(function (l, i) { return {name: l, value: spec.values[i]}; })}]}
      : {tooltip: {trigger: "axis"}, grid: {left: 60, right: 20, top: 20, bottom: 60},
         xAxis: {type: "category", data: spec.labels, axisLabel: {rotate: 30}},
         yAxis: spec.integer ? {type: "value", minInterval: 1} : {type: "value"},
         series: [{type: spec.kind, data: spec.values, showSymbol: true, symbolSize: 8, showAllSymbol: true}]};
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
