// "Listen": the browser reads the lesson aloud with its own speech synthesis, in the page's
// language. The button stays hidden where there is no speech synthesis (e.g. some in-app browsers).
(function () {
  var button = document.getElementById("listen");
  var lesson = document.querySelector("article.lesson");
  if (!button || !lesson || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
  var speaking = false;
  var lang = document.documentElement.lang === "en" ? "en-US" : "zh-CN";
  function show(state) {
    speaking = state;
    button.textContent = state ? button.dataset.stop : button.dataset.start;
    button.setAttribute("aria-pressed", state ? "true" : "false");
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.speechSynthesis.cancel();
    if (speaking) { show(false); return; }
    var utterance = new SpeechSynthesisUtterance(lesson.innerText);
    utterance.lang = lang;
    utterance.onend = function () { show(false); };
    window.speechSynthesis.speak(utterance);
    show(true);
  });
})();
