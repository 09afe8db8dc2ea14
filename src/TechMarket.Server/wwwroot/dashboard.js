// Draws the dashboard's charts with ECharts (served from /lib/echarts). The data is the page's own JSON; a click on a
// bar or a point opens the list of the records behind it.
(function () {
  var data = JSON.parse(document.getElementById('dashboard-data').textContent);
  if (typeof echarts === 'undefined') { return; }
  var label = {};
  data.figures.forEach(function (f) { label[f.key] = f.label; });

  function link(figure, param, value) {
    var q = new URLSearchParams({ figure: figure });
    if (param) { q.set(param, value); }
    return '/dashboard/records?' + q.toString();
  }

  function chart(id, buckets, figures, param, horizontal) {
    var el = document.getElementById(id);
    if (!el || buckets.length === 0) { return; }
    var c = echarts.init(el, null, { renderer: 'canvas' });
    var names = buckets.map(function (b) { return b.label; });
    var series = figures.map(function (f) {
      return {
        name: label[f] + (f === 'amount' ? '（万元）' : ''),
        type: 'bar',
        yAxisIndex: horizontal ? undefined : (f === 'amount' ? 1 : 0),
        xAxisIndex: horizontal ? (f === 'amount' ? 1 : 0) : undefined,
        data: buckets.map(function (b) { return b.values[f]; }),
        figure: f
      };
    });
    var category = { type: 'category', data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var values = [{ type: 'value', name: '数量', minInterval: 1 }, { type: 'value', name: '万元', splitLine: { show: false } }];
    c.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: horizontal ? 120 : 50, right: 60, top: 40, bottom: horizontal ? 30 : 80 },
      xAxis: horizontal ? values : category,
      yAxis: horizontal ? category : values,
      series: series
    });
    c.on('click', function (p) {
      var b = buckets[p.dataIndex];
      window.location.href = link(series[p.seriesIndex].figure, param, b.key);
    });
    window.addEventListener('resize', function () { c.resize(); });
    el.setAttribute('data-rendered', 'true');
  }

  chart('chart-months', data.months, ['matches', 'meetings', 'deals', 'amount'], 'month', false);
  chart('chart-districts', data.districts, ['mined', 'matches', 'deals', 'amount'], 'district', false);
  chart('chart-fields', data.fields, ['achievements', 'matches', 'deals', 'amount'], 'field', true);
})();
