// @ts-check
/**
 * The resident's phone pages (the drop-off form; a case's states are in
 * case-text.js), by phrase key,
 * for what the page shows and what its read-aloud button says (voice.js).
 * Chinese first; English for the few residents who need it.
 */

/** @typedef {import("./phrases.js").PhraseTable} PhraseTable */

/** @type {Record<"zh-CN" | "en", PhraseTable>} */
export const PHONE_TEXT = {
  "zh-CN": {
    formIntro: "请选择办理的事项，填写手机号，设一个6位密码，然后点开门存件。",
    errMatter: "请选择要办理的事项。",
    errPhone: "请输入11位手机号码，例如 13812345678。",
    errPinDigits: "密码要6位数字。",
    errPinWeak: "密码太简单，容易被猜到，请换一个（不要用重复、连续的数字或手机号后六位）。",
    errPinAgain: "两次输入的密码不一样，请再输一次。",
    errConsent: "请先勾选同意隐私说明。",
    errNetwork: "网络不通，请再试一次。",
    errFull: "柜子已满，暂时不能存放。工作人员已收到通知。",
    errOutOfService: "柜子暂停服务，设备存储出了问题，现在不能存放。工作人员已收到通知，请稍后再试。",
    errScanAgain: "二维码已失效，请回到柜子前重新扫码。",
    helpPhone: (v) => `需要帮助，请打电话 ${v.helpPhone}`,
    submit: "开门存件",
    submitting: "正在开门…",
    caseNo: (v) => `办件号 ${v.caseNo}`,
    doorNo: (v) => `${v.door}号门`,
  },
  en: {
    formIntro: "Choose the matter, type your mobile number, set a 6-digit PIN, then press Open a door.",
    errMatter: "Please choose what it is for.",
    errPhone: "Type an 11-digit mobile number, for example 13812345678.",
    errPinDigits: "The PIN has 6 digits.",
    errPinWeak: "This PIN is too easy to guess. Choose another (no repeated or running digits, not your phone's last six).",
    errPinAgain: "The two PINs differ. Please type it again.",
    errConsent: "Please tick to agree to the privacy notice.",
    errNetwork: "No connection. Please try again.",
    errFull: "The locker is full for now. Staff have been told.",
    errOutOfService: "The locker is out of service: its storage has a problem, so it cannot take anything now. Staff have been told. Please try again later.",
    errScanAgain: "This code has expired. Please scan the code on the locker again.",
    helpPhone: (v) => `For help, call ${v.helpPhone}`,
    submit: "Open a door",
    submitting: "Opening…",
    caseNo: (v) => `Case ${v.caseNo}`,
    doorNo: (v) => `Door ${v.door}`,
  },
};
