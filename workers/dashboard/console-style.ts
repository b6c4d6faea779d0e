/** Where the queue counts go in the navigation; filled per request by the console's queue-count middleware. */
export const QUEUE_COUNTS_SLOT = "<!--queue-counts-->";

// The console's own rules: actions, thread, board, and the phone layout (menu collapses, tables become cards,
// nothing wider than the screen, tap targets of 44 px).
export const CONSOLE_CSS = `
.nav-toggle,.nav-button{display:none}
.count{background:#cf222e;color:#fff;border-radius:1rem;padding:0 .4rem;margin-left:.3rem;font-size:.75rem}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.8rem}
.actions form{margin:0}
.actions select,.actions input,.actions textarea,.reply textarea,.reply select{width:100%}
.field-err{color:#cf222e;font-size:.85rem;margin:.2rem 0 0}
.ok{background:#dafbe1;border:1px solid #4ac26b;border-radius:.35rem;padding:.4rem .6rem}
.thread{list-style:none;padding:0;margin:0}
.thread li{max-width:80%;margin:.4rem 0;padding:.5rem .7rem;border-radius:.6rem;background:#eaeef2}
.thread li.out{margin-left:auto;background:#ddf4ff}
.thread .meta{font-size:.78rem;color:#57606a}
.state-failed,.state-not.sent{color:#cf222e;font-weight:600}
.board{display:grid;grid-template-columns:repeat(7,minmax(150px,1fr));gap:.6rem;overflow-x:auto}
.board section{background:#eaeef2;border-radius:.5rem;padding:.5rem;min-width:0}
.board h2{font-size:1rem;margin:.2rem 0 .5rem}
.board article{background:#fff;border:1px solid #d0d7de;border-radius:.4rem;padding:.5rem;margin:0 0 .5rem}
.board article:focus{outline:3px solid #0969da}
.board .moves{display:flex;flex-wrap:wrap;gap:.25rem;margin-top:.3rem}
.board .moves button{font-size:.8rem;padding:.2rem .4rem}
.bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
.pager{display:flex;gap:1rem;align-items:center}
button.secondary{background:#eaeef2;color:#1f2328;border:1px solid #8c959f}
@media (max-width:700px){
  header{padding:.4rem .6rem}
  .nav-button{display:inline-flex;align-items:center;min-height:44px;padding:0 .8rem;border:1px solid #8c959f;
    border-radius:.35rem;cursor:pointer}
  header nav{display:none;width:100%;flex-direction:column}
  .nav-toggle:checked~nav{display:flex}
  header nav a,header form button{display:flex;align-items:center;min-height:44px}
  header form{margin-left:0}
  main{padding:.6rem}
  button,select,input,textarea,.tap{min-height:44px}
  input[type=checkbox]{min-width:44px}
  table{display:block;overflow-x:auto}
  table.cards{display:block}
  table.cards thead{display:none}
  table.cards tbody,table.cards tr,table.cards td{display:block}
  table.cards tr{border:1px solid #d0d7de;border-radius:.5rem;margin:0 0 .6rem;padding:.3rem .5rem;background:#fff}
  table.cards td{border:0;padding:.15rem 0}
  table.cards td[data-label]::before{content:attr(data-label);display:block;color:#57606a;font-size:.8rem}
  .board{grid-template-columns:1fr}
  .thread li{max-width:95%}
  .grid{grid-template-columns:1fr}
  .board .moves button{min-height:44px;padding:0 .6rem}
}
`;
