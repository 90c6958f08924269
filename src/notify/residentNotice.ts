/**
 * What the resident's case page says about the notice they will get when the
 * result is ready: the centre's own words (`notify.residentNotice`, `{phone}`
 * = the masked phone) or, by default, what the configured channels can really
 * do: only a webhook that gets `ready` with the full phone can lead to an SMS
 * or WeChat message; otherwise the page itself is the notice.
 */
import type { LockerConfig } from "../config/LockerConfig.js";

export function residentNotice(config: Pick<LockerConfig, "notify">, maskedPhone: string): string {
  const custom = config.notify.residentNotice;
  if (custom) return custom.replaceAll("{phone}", maskedPhone);
  const backOffice = config.notify.channels.some((c) => c.kind === "webhook" && c.includePhone === true && c.events.includes("ready"));
  if (backOffice) return `办好后，服务中心会给您的手机 ${maskedPhone} 发通知（短信或微信消息），请留意。这个页面也会显示“可以取了”。`;
  return "办好后，这个页面会显示“可以取了”，不用刷新。请把本页收藏或加入书签，随时打开查看。本柜不会另发短信。";
}
