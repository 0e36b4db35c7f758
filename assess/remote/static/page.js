// The "Reconnect" button of the closed-session dialog (no inline script: the page's
// content security policy allows scripts from this server only).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("reconnect");
  if (button) {
    button.addEventListener("click", function () {
      window.location.reload();
    });
  }
});
