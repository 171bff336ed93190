// On a narrow screen the alliance's pages fold into a menu, and a wide chart shows its latest
// weeks first. The page as sent has the menu open and the chart at its start, so without this
// script every page is still one tap away and every week a swipe away.
(function () {
  if (!window.matchMedia("(max-width: 46rem)").matches) return;
  var menu = document.querySelector(".pages-menu");
  if (menu) menu.removeAttribute("open");
  document.querySelectorAll(".chart-scroll").forEach(function (chart) {
    chart.scrollLeft = chart.scrollWidth;
  });
})();
