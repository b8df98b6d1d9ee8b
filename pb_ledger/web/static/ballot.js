// Live helpers on the ballot page: the budget meter (knapsack), the points counter (cumulative), the number of
// choices (approval, ordinal). Progressive enhancement: without this script the ballot works the same, and the
// service checks every ballot against the rules.
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  if (!form) { return; }
  var method = form.dataset.method;
  var choices = Array.prototype.slice.call(form.querySelectorAll("li.choice"));

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function money(text, minor) {
    var exponent = parseInt(text.dataset.exponent, 10);
    try {
      return new Intl.NumberFormat(text.dataset.locale, {style: "currency", currency: text.dataset.currency})
        .format(minor / Math.pow(10, exponent));
    } catch (e) {
      return String(minor / Math.pow(10, exponent)) + " " + text.dataset.currency;
    }
  }

  function update() {
    if (method === "knapsack") {
      var budget = parseInt(form.dataset.budget, 10), used = 0;
      choices.forEach(function (li) {
        var box = li.querySelector("input[type=checkbox]");
        if (box && box.checked) { used += parseInt(li.dataset.cost, 10); }
      });
      var meter = document.getElementById("budget-meter"), text = document.getElementById("budget-text");
      meter.value = Math.min(used, budget);
      text.textContent = fill(text.dataset.template, {used: money(text, used), budget: money(text, budget)});
      document.getElementById("budget-over").hidden = used <= budget;
    } else if (method === "cumulative") {
      var total = 0;
      form.querySelectorAll("input.points").forEach(function (input) {
        var n = parseInt(input.value, 10);
        if (!isNaN(n) && n > 0) { total += n; }
      });
      var pointsMeter = document.getElementById("points-meter");
      if (pointsMeter) {
        var limit = parseInt(form.dataset.points, 10);
        var pointsText = document.getElementById("points-text");
        pointsMeter.value = Math.min(total, limit);
        pointsText.textContent = fill(pointsText.dataset.template, {used: total, total: limit});
        document.getElementById("points-over").hidden = total <= limit;
      }
    } else {
      var count = document.getElementById("count-text");
      if (count) {
        var n = form.querySelectorAll("input[type=checkbox]:checked").length;
        form.querySelectorAll("input.rank").forEach(function (input) { if (input.value) { n += 1; } });
        count.textContent = fill(count.dataset.template, {n: n});
      }
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}());
