// The export page's "select all" box (django-import-export's own handler, attached here
// instead of in an inline attribute, which the Content-Security-Policy refuses).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
