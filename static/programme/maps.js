// Chengdu maps for the programme pages: a district choropleth of coverage, and the
// community-building map's points. Data comes from json_script blocks; the boundary
// file (vendor/echarts-china-cities/chengdu.js) registers the map "成都" offline.
(function () {
  "use strict";
  // The boundary data predates 新津县 becoming 新津区 (2020).
  var NAME_MAP = { "新津县": "新津区" };

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Tooltip templates come translated from the page: data-tip="{name}: {value} ({covered}/{total})".
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }

  function ready(node) {
    if (!node || typeof echarts === "undefined" || !echarts.getMap || !echarts.getMap("成都")) {
      if (node) { node.textContent = node.getAttribute("data-fallback") || "地图无法加载。"; }
      return null;
    }
    var chart = echarts.init(node, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  var coverageNode = document.getElementById("coverage-map");
  var coverage = readJson("coverage-map-data");
  if (coverageNode && coverage) {
    var chart = ready(coverageNode);
    if (chart) {
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            if (!p.data || p.data.value === null || p.data.value === undefined) {
              return fill(coverageNode.getAttribute("data-tip-empty") || "{name}：不在管辖范围或无数据", { name: p.name });
            }
            return fill(coverageNode.getAttribute("data-tip") || "{name}：{value}（{covered}/{total}）", {
              name: p.name, value: p.data.value + "%", covered: p.data.covered, total: p.data.total });
          }
        },
        visualMap: { min: 0, max: 100, text: ["100%", "0%"], calculable: false, left: "left", bottom: 0,
                     inRange: { color: ["#fde0dd", "#fa9fb5", "#41ab5d", "#006d2c"] } },
        series: [{ type: "map", map: "成都", nameMap: NAME_MAP, roam: false, data: coverage,
                   label: { show: true, fontSize: 9 } }]
      });
    }
  }

  var pointsNode = document.getElementById("story-map");
  var points = readJson("story-map-data");
  if (pointsNode && points) {
    var map = ready(pointsNode);
    if (map) {
      map.setOption({
        tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.name ? p.data.name : p.name; } },
        geo: { map: "成都", nameMap: NAME_MAP, roam: true, label: { show: true, fontSize: 9, color: "#666" },
               itemStyle: { areaColor: "#f3f6f9", borderColor: "#9aa7b4" } },
        series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 12, itemStyle: { color: "#d63384" },
                   label: { show: true, formatter: "{b}", position: "right", fontSize: 10 },
                   data: points.map(function (p) { return { name: p.name, value: [p.lng, p.lat], url: p.url }; }) }]
      });
      map.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    }
  }
})();
