const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One request the count leaves out, then a wait (600 polls 100 ms apart at most) until `settled` says its effects
 * are done. A Worker isolate reads a workspace's routing context and scoring rules once, with its first capture, and
 * keeps them while captures keep coming; after this, what is counted is what each further lead costs. Returns
 * whether it settled (if not, the count includes the rest of its work).
 */
export async function warmUp(send: () => Promise<unknown>, settled: () => Promise<boolean>): Promise<boolean> {
  await send();
  for (let i = 0; i < 600; i++) {
    if (await settled()) return true;
    await sleep(100);
  }
  return false;
}
