// A scanned invite QR opens /teacher/verify#CODE: the code stays in the browser (never in a
// server log). Copy it into the box, then drop it from the address bar and history.
(function () {
  var code = decodeURIComponent(window.location.hash.slice(1));
  var box = document.getElementById("code");
  if (!code || !box) return;
  if (!box.value) box.value = code;
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  box.focus();
})();
