import type { Context } from "hono";
import type { ConnectState } from "../dashboard/channel-connect";
import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { channelsBody } from "../dashboard/settings-pages";
import { channelStatuses } from "../domain/channels/channel-status";
import { connectTelegramBot, listTelegramChannels } from "../domain/channels/telegram-channels";
import { connectWhatsappNumber, listWhatsappChannels } from "../domain/channels/whatsapp-channels";
import { getWorkspace } from "../domain/team/workspaces";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";
import { randomToken } from "../lib/ids";
import { TelegramConnectInput } from "./channels";
import { WhatsappConnectInput } from "./whatsapp-channels";

async function channelsPage(c: Context<AppEnv>, connect: ConnectState, status: 200 | 201 | 422 | 502 = 200) {
  const s = scope(c);
  const [bots, numbers, health, ws] = await Promise.all([
    listTelegramChannels(s),
    listWhatsappChannels(s),
    channelStatuses(s),
    getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
  ]);
  // A fresh suggestion per view: the owner may keep it, it only has to match what they paste at Meta.
  const body = channelsBody(bots, numbers, connect, `lr-${randomToken(24)}`, health, ws.timezone);
  return c.html(page("Channels", "/app/channels", body), status);
}

const origin = (c: Context<AppEnv>) => c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin;
const topLevel = (path: string) => path.split(".")[0] || "form";

/** Connect a Telegram bot or a WhatsApp number from the console, through the API's schemas and verbs. */
export function registerChannelPages(app: App) {
  app.get("/app/channels", (c) => channelsPage(c, {}));

  app.post("/app/channels/telegram", async (c) => {
    const values = await formValues(c.req);
    const result = await judge(TelegramConnectInput, { token: values.token ?? "" }, topLevel, (data) =>
      connectTelegramBot(scope(c), { ...data, publicOrigin: origin(c) }),
    );
    if ("errors" in result) return channelsPage(c, { kind: "telegram", values, errors: result.errors }, 422);
    return channelsPage(c, { telegramDone: { botUsername: result.saved.botUsername } }, 201);
  });

  app.post("/app/channels/whatsapp", async (c) => {
    const values = await formValues(c.req);
    const input = {
      phoneNumberId: values.phoneNumberId ?? "",
      accessToken: values.accessToken ?? "",
      appSecret: values.appSecret ?? "",
      verifyToken: values.verifyToken ?? "",
    };
    const result = await judge(WhatsappConnectInput, input, topLevel, (data) =>
      connectWhatsappNumber(scope(c), { ...data, publicOrigin: origin(c) }),
    );
    if ("errors" in result) return channelsPage(c, { kind: "whatsapp", values, errors: result.errors }, 422);
    return channelsPage(
      c,
      { whatsappDone: { webhookUrl: result.saved.webhookUrl, verifyToken: input.verifyToken.trim() } },
      201,
    );
  });
}
