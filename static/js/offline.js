// Keep the lessons a person opens readable offline (see /sw.js). Quietly nothing where service
// workers are missing, as in some in-app browsers.
if (navigator.serviceWorker && navigator.serviceWorker.register) {
  navigator.serviceWorker.register("/sw.js").catch(function () {});
}
