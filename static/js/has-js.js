// Loaded in <head>, before the page is drawn: with JavaScript, the menus open on demand
// (Bootstrap); without it, app.css shows them open (.no-js), so Log out stays in reach.
document.documentElement.classList.replace("no-js", "js");
