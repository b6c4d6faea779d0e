// Served as /app/assets/console.js (the CSP forbids inline script). Everything works without it; it adds the
// board's keyboard moves and keeps focus on the moved card after the page reloads.
export const CONSOLE_JS = `(function(){
var card=location.hash&&document.getElementById(location.hash.slice(1));if(card&&card.tagName==="ARTICLE")card.focus();
document.addEventListener("keydown",function(e){var a=e.target;
if(!a||a.tagName!=="ARTICLE"||!a.closest("[data-board]"))return;
var dir=e.key==="ArrowRight"?"next":e.key==="ArrowLeft"?"prev":null;if(!dir)return;
var b=a.querySelector('[data-move="'+dir+'"]');
if(b){e.preventDefault();b.click();}});
})();`;
