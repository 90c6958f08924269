// @ts-check
/**
 * Kiosk wording in three languages, by phrase key. Sentences are short and
 * concrete: many users are elderly. A phrase is a string, or a function of
 * the named values it needs (`{door: 3}`, `{caseNo: "A01"}`, `{wait: 120}`…):
 * voice.js speaks the same keys, so every spoken prompt has a key here.
 */

/** @typedef {import("./phrases.js").PhraseTable} PhraseTable */

/** "2分钟" / "45秒" for a wait in seconds. */
const zhWait = (/** @type {number} */ s) => (s >= 60 ? Math.ceil(s / 60) + "分钟" : s + "秒");
/** "2分鐘" / "45秒" (Traditional). */
const twWait = (/** @type {number} */ s) => (s >= 60 ? Math.ceil(s / 60) + "分鐘" : s + "秒");
const enWait = (/** @type {number} */ s) => (s >= 60 ? Math.ceil(s / 60) + " min" : s + " s");
/** Door numbers named together: 3, "3号和5号". */
const zhDoors = (/** @type {number[]} */ d) => d.join("号和");
const enDoors = (/** @type {number[]} */ d) => d.join(" and ");

/** @type {Record<"zh-CN" | "zh-TW" | "en", PhraseTable>} */
export const KIOSK_TEXT = {
  "zh-CN": {
    qrPaused: "存件暂停，请稍后再来或联系工作人员。", lockerFull: "柜子已满，暂时不能存件。工作人员已收到通知。", replay: "再听一遍", idleTitle: "欢迎使用", dropTitle: "存件", dropHint: "用微信扫一扫上面的二维码",
    collect: "取件", collectHint: "办好的材料在这里取", staffMode: "工作人员",
    phoneTitle: "请输入手机号", pinTitle: "请输入6位取件密码", staffCodeTitle: "请输入8位员工码",
    back: "返回", next: "下一步", open: "开门", clear: "清空", del: "删除", home: "回到首页",
    opening: "正在开门，请稍候…", thanks: "谢谢！门已关好",
    offlineTitle: "暂停服务", offlineText: "柜子正在维修，工作人员已收到通知。请工作时间到服务中心窗口办理。",
    staffTitle: "工作人员模式", signOut: "退出", staffCases: "待取走的材料（已存入）和待放回的办件", staffDoors: "开门（会记录在日志里）",
    sayIdle: "您好。存材料，请用微信扫屏幕上的二维码。取材料，请点取件按钮。",
    sayPhone: "请输入您的手机号，输完点下一步。", sayPin: "请输入六位取件密码，输完点开门。", sayStaff: "请输入员工码。",
    phoneBad: "手机号要11位数字，请检查。", pinBad: "密码要6位数字。", codeBad: "员工码要8位数字。",
    pinFor: (v) => `手机号 ${v.phone}`,
    wrongPin: "手机号或密码不对，请再试一次。忘记密码请联系工作人员。",
    lockout: (v) => `尝试次数太多，请${zhWait(Number(v.wait))}后再试。`,
    lockedNow: (v) => `密码错误次数太多，这个手机号已暂时锁定，请${zhWait(Number(v.wait))}后（${v.until}以后）再试。`,
    frozen: "密码错误次数太多，已锁定。请联系工作人员重置密码。",
    helpPhone: (v) => `需要帮助，请打电话 ${v.helpPhone}`,
    nothing: "没有可以取的材料。",
    doorOpen: (v) => `${v.door}号门已打开`,
    doorsOpen: (v) => `${zhDoors(v.doors || [])}号门已打开`,
    doorPut: (v) => `请把材料袋放进打开的${v.door}号门，然后关好门。`,
    doorTake: (v) => `请从打开的${v.door}号门取出材料，然后关好门。`,
    doorsTake: (v) => `您有${(v.doors || []).length}份材料，请从打开的${zhDoors(v.doors || [])}号门都取出来，然后关好门。`,
    doorStaff: (v) => `${v.door}号门已打开。处理完请关好门。`,
    pleaseClose: (v) => `请关好${v.door}号门`, pleaseCloseText: "门还开着，请用力推上，听到“咔”一声就好。",
    caseNo: (v) => `办件号 ${v.caseNo}`,
    thanksDrop: "材料已存好，工作人员会尽快办理。", thanksPick: "取件完成，请带好您的材料。", thanksStaff: "门已关好。",
    cancelled: "本次存件已取消", cancelledText: "柜门没有被打开。如还要存件，请重新扫码。",
    fault: "柜门没能打开", faultText: "已通知工作人员。请换一个时间再来，或到服务中心窗口办理。",
    busy: "柜子正忙，请稍等几秒再试。", error: "出了点问题，请再试一次。", here: "这里",
    door: (v) => `${v.door}号`, opened: "已打开", ready: "待取", holding: "已存", faulty: "故障", disabled: "停用",
    openDoor: (v) => `开${v.door}号门`, collectCase: (v) => `取走 ${v.caseNo}（${v.door}号门）`, returnCase: (v) => `放回 ${v.caseNo}`,
    noCases: "现在没有待处理的办件。", staffReason: "在柜子屏幕上由工作人员开门",
    // occupancy (boards with item sensors): the door closed on an empty drop-off; something left behind
    putPouchIn: (v) => `${v.door}号门里还是空的`, putPouchInText: (v) => `${v.door}号门已重新打开，请把材料袋放进去，再关好门。不放的话，这次存件会取消。`,
    leftBehind: (v) => `${v.door}号门里还有东西`, leftBehindText: "门已关上，但柜子里还有东西。如果是您的材料，请联系工作人员。工作人员已收到通知。",
    voiceTest: "试听声音", sayVoiceTest: "这是声音测试。听得清楚，声音就正常。", voiceBroken: "声音没能播放，已记在日志里。请检查音箱和音量。",
  },
  "zh-TW": {
    qrPaused: "存件暫停，請稍後再來或聯繫工作人員。", lockerFull: "櫃子已滿，暫時不能存件。工作人員已收到通知。", replay: "再聽一遍", idleTitle: "歡迎使用", dropTitle: "存件", dropHint: "用微信掃一掃上面的二維碼",
    collect: "取件", collectHint: "辦好的材料在這裡取", staffMode: "工作人員",
    phoneTitle: "請輸入手機號", pinTitle: "請輸入6位取件密碼", staffCodeTitle: "請輸入8位員工碼",
    back: "返回", next: "下一步", open: "開門", clear: "清空", del: "刪除", home: "回到首頁",
    opening: "正在開門，請稍候…", thanks: "謝謝！門已關好",
    offlineTitle: "暫停服務", offlineText: "櫃子正在維修，工作人員已收到通知。請工作時間到服務中心窗口辦理。",
    staffTitle: "工作人員模式", signOut: "退出", staffCases: "待取走的材料（已存入）和待放回的辦件", staffDoors: "開門（會記錄在日誌裡）",
    sayIdle: "您好。存材料，請用微信掃螢幕上的二維碼。取材料，請點取件按鈕。",
    sayPhone: "請輸入您的手機號，輸完點下一步。", sayPin: "請輸入六位取件密碼，輸完點開門。", sayStaff: "請輸入員工碼。",
    phoneBad: "手機號要11位數字，請檢查。", pinBad: "密碼要6位數字。", codeBad: "員工碼要8位數字。",
    pinFor: (v) => `手機號 ${v.phone}`,
    wrongPin: "手機號或密碼不對，請再試一次。忘記密碼請聯繫工作人員。",
    lockout: (v) => `嘗試次數太多，請${twWait(Number(v.wait))}後再試。`,
    lockedNow: (v) => `密碼錯誤次數太多，這個手機號已暫時鎖定，請${twWait(Number(v.wait))}後（${v.until}以後）再試。`,
    frozen: "密碼錯誤次數太多，已鎖定。請聯繫工作人員重設密碼。",
    helpPhone: (v) => `需要幫助，請打電話 ${v.helpPhone}`,
    nothing: "沒有可以取的材料。",
    doorOpen: (v) => `${v.door}號門已打開`,
    doorsOpen: (v) => `${(v.doors || []).join("號和")}號門已打開`,
    doorPut: (v) => `請把材料袋放進打開的${v.door}號門，然後關好門。`,
    doorTake: (v) => `請從打開的${v.door}號門取出材料，然後關好門。`,
    doorsTake: (v) => `您有${(v.doors || []).length}份材料，請從打開的${(v.doors || []).join("號和")}號門都取出來，然後關好門。`,
    doorStaff: (v) => `${v.door}號門已打開。處理完請關好門。`,
    pleaseClose: (v) => `請關好${v.door}號門`, pleaseCloseText: "門還開著，請用力推上，聽到「咔」一聲就好。",
    caseNo: (v) => `辦件號 ${v.caseNo}`,
    thanksDrop: "材料已存好，工作人員會盡快辦理。", thanksPick: "取件完成，請帶好您的材料。", thanksStaff: "門已關好。",
    cancelled: "本次存件已取消", cancelledText: "櫃門沒有被打開。如還要存件，請重新掃碼。",
    fault: "櫃門沒能打開", faultText: "已通知工作人員。請換一個時間再來，或到服務中心窗口辦理。",
    busy: "櫃子正忙，請稍等幾秒再試。", error: "出了點問題，請再試一次。", here: "這裡",
    door: (v) => `${v.door}號`, opened: "已打開", ready: "待取", holding: "已存", faulty: "故障", disabled: "停用",
    openDoor: (v) => `開${v.door}號門`, collectCase: (v) => `取走 ${v.caseNo}（${v.door}號門）`, returnCase: (v) => `放回 ${v.caseNo}`,
    noCases: "現在沒有待處理的辦件。", staffReason: "在櫃子螢幕上由工作人員開門",
    // occupancy (boards with item sensors): the door closed on an empty drop-off; something left behind
    putPouchIn: (v) => `${v.door}號門裡還是空的`, putPouchInText: (v) => `${v.door}號門已重新打開，請把材料袋放進去，再關好門。不放的話，這次存件會取消。`,
    leftBehind: (v) => `${v.door}號門裡還有東西`, leftBehindText: "門已關上，但櫃子裡還有東西。如果是您的材料，請聯繫工作人員。工作人員已收到通知。",
    voiceTest: "試聽聲音", sayVoiceTest: "這是聲音測試。聽得清楚，聲音就正常。", voiceBroken: "聲音沒能播放，已記在日誌裡。請檢查音箱和音量。",
  },
  en: {
    qrPaused: "Drop-off paused. Please come back later or ask staff.", lockerFull: "The locker is full: no drop-off for now. Staff have been told.", replay: "Say again", idleTitle: "Welcome", dropTitle: "Drop off", dropHint: "Scan the code above with WeChat",
    collect: "Collect", collectHint: "Pick up your finished papers", staffMode: "Staff",
    phoneTitle: "Enter your phone number", pinTitle: "Enter your 6-digit PIN", staffCodeTitle: "Enter your 8-digit staff code",
    back: "Back", next: "Next", open: "Open", clear: "Clear", del: "Delete", home: "Home",
    opening: "Opening the door, please wait…", thanks: "Thank you! Door closed",
    offlineTitle: "Out of service", offlineText: "The locker is being repaired and staff have been told. Please come to the service desk during office hours.",
    staffTitle: "Staff mode", signOut: "Sign out", staffCases: "Pouches to take out and results to put back", staffDoors: "Open a door (logged)",
    sayIdle: "Hello. To drop off papers, scan the code on the screen with WeChat. To collect, press the Collect button.",
    sayPhone: "Type your phone number, then press Next.", sayPin: "Type your six-digit PIN, then press Open.", sayStaff: "Type your staff code.",
    phoneBad: "The phone number has 11 digits. Please check.", pinBad: "The PIN has 6 digits.", codeBad: "The staff code has 8 digits.",
    pinFor: (v) => `Phone ${v.phone}`,
    wrongPin: "Phone number or PIN not right. Please try again, or ask staff if you forgot it.",
    lockout: (v) => `Too many tries. Please wait ${enWait(Number(v.wait))} and try again.`,
    lockedNow: (v) => `Too many wrong PINs: this phone number is locked for now. Please try again in ${enWait(Number(v.wait))} (after ${v.until}).`,
    frozen: "Locked after too many wrong PINs. Please ask staff to reset it.",
    helpPhone: (v) => `For help, call ${v.helpPhone}`,
    nothing: "Nothing to collect.",
    doorOpen: (v) => `Door ${v.door} is open`,
    doorsOpen: (v) => `Doors ${enDoors(v.doors || [])} are open`,
    doorPut: (v) => `Put the pouch into door ${v.door}, then close the door.`,
    doorTake: (v) => `Take your papers from door ${v.door}, then close the door.`,
    doorsTake: (v) => `You have ${(v.doors || []).length} items: take them from doors ${enDoors(v.doors || [])}, then close the doors.`,
    doorStaff: (v) => `Door ${v.door} is open. Close it when done.`,
    pleaseClose: (v) => `Please close door ${v.door}`, pleaseCloseText: "The door is still open. Push it shut until it clicks.",
    caseNo: (v) => `Case ${v.caseNo}`,
    thanksDrop: "Your papers are in. Staff will handle them soon.", thanksPick: "Done. Please take your papers with you.", thanksStaff: "Door closed.",
    cancelled: "Drop-off cancelled", cancelledText: "The door was not opened. Scan the code again to drop off.",
    fault: "The door did not open", faultText: "Staff have been told. Please come back later or go to the service desk.",
    busy: "The locker is busy. Try again in a few seconds.", error: "Something went wrong. Please try again.", here: "Here",
    door: (v) => `No. ${v.door}`, opened: "OPEN", ready: "ready", holding: "in use", faulty: "fault", disabled: "off",
    openDoor: (v) => `Open door ${v.door}`, collectCase: (v) => `Take out ${v.caseNo} (door ${v.door})`, returnCase: (v) => `Put back ${v.caseNo}`,
    noCases: "Nothing to handle now.", staffReason: "opened by staff on the kiosk screen",
    // occupancy (boards with item sensors): the door closed on an empty drop-off; something left behind
    putPouchIn: (v) => `Door ${v.door} is still empty`, putPouchInText: (v) => `Door ${v.door} is open again: put the pouch in, then close the door. If you do not, this drop-off is cancelled.`,
    leftBehind: (v) => `Something is still in door ${v.door}`, leftBehindText: "The door is closed but something is still inside. If it is yours, please ask staff. Staff have been told.",
    voiceTest: "Test the voice", sayVoiceTest: "This is a voice test. If you hear it clearly, the voice works.", voiceBroken: "The voice did not play; it is logged. Check the speaker and the volume.",
  },
};
