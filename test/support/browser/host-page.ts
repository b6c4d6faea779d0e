const HOSTILE = `
  * { color: #c00 !important; font-family: serif !important; }
  input, button, label { display: none !important; font-size: 40px !important; }
  body { max-width: 40rem; margin: 2rem auto; }`;

/** Rules that reach the host element itself: inherited properties, and a frame on every element. */
export const INHERITING = `
  * { font-size: 30px !important; color: red !important; line-height: 3 !important; letter-spacing: 4px !important;
      padding: 12px !important; border: 3px solid green !important; }
  div { padding: 20px; border: 5px dashed blue; }`;

/**
 * A plain customer page with the snippet pasted in. Its own CSS is deliberately hostile (global resets,
 * !important colours and sizes) to show the Shadow DOM keeps the form intact.
 */
export function hostPage(workerUrl: string, formKey: string, style = HOSTILE): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Acme Plumbing</title>
<style>${style}</style>
</head>
<body>
<h1>Acme Plumbing</h1>
<p>Tell us about your project and we will call you back.</p>
<script src="${workerUrl}/embed.js" data-form="${formKey}" async></script>
</body>
</html>`;
}
