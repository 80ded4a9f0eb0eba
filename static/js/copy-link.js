// Copy a one-time link to the clipboard for the person handing it over. Without script the
// link stays selectable in its read-only box.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var box = document.getElementById(button.dataset.copy);
    if (!box) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      box.select();
      var done = function () { button.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
});
