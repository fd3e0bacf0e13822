// The time bank's 存取 chart: points issued vs redeemed per month, from json_script.
(function () {
  "use strict";
  var element = document.getElementById("tb-flows");
  var source = document.getElementById("tb-flows-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {data: [data.issued_label, data.redeemed_label]},
    grid: {left: 48, right: 12, top: 36, bottom: 48},
    xAxis: {type: "category", data: data.labels, axisLabel: {rotate: 45}},
    yAxis: {type: "value"},
    series: [
      {name: data.issued_label, type: "bar", data: data.issued},
      {name: data.redeemed_label, type: "bar", data: data.redeemed}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
