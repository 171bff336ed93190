// On a narrow screen the alliance's pages fold into a menu. The menu is open in the page as
// sent, so without this script every page stays one tap away; with it, a phone starts folded.
(function () {
  var menu = document.querySelector(".pages-menu");
  if (menu && window.matchMedia("(max-width: 46rem)").matches) menu.removeAttribute("open");
})();
