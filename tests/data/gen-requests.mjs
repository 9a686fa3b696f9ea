// Generates tests/data/requests.json, the server-call cases of issue 13 (run: node tests/data/gen-requests.mjs).
//
// Every expected body is written out here from the manuals and notes, and every hash is computed
// here with node:crypto from the formulas in notes/pg-protocols.md — never by running hanpay:
//  - XPay  LGD_TXID = header + sha1(header + unique), header = LGD_MID + "-01" + now, LGD_AUTHCODE =
//          sha1(LGD_TXID + MertKey) (notes §1.2, XPayClient Gen_TX_ID/Gen_Auth_Code; server_id 01);
//          hanpay's unique part is the body's values in order (documented in crates/hanpay-pg/src/pg/xpay/call.rs).
//  - Smartro hashData = base64(hex md5(TID + key + CancelAmt + PartialCancelCode)) (notes §2.1),
//          cross-checked below against notes §6.2 vectors #5 and #6.
//  - KISPG encData = hex sha256(mid + ediDate + amount + key) (manual 004 §7.1/§7.2; notes §5.1-5.2),
//          cross-checked against notes §6.4 vectors #2 and #3.
import { createHash, createCipheriv } from "node:crypto";
import { writeFileSync } from "node:fs";

const h = (alg, s) => createHash(alg).update(s, "utf8").digest("hex");
const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
const KEYS = {
  xpay: "95160cce09854ef44d2edb2bfb05f9f3",
  smartro: "0/4GFsSd7ERVRGX9WHOzJ96GyeMTwvIaKSWUCKmN3fDklNRGw3CualCFoMPZaS99YiFGOuwtzTkrLo4bR4V+Ow==",
  kispg: "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==",
  // The sandbox's made-up test merchant (sandbox/src/credentials.rs).
  smartropay: "N6GS8Q7A4hDr5/YWJKoxYAf5qPgk0qtQfTGlsHfcZMIPEQqlsV6mXbxVfBz48EeOMidIS90UiaTyvR2Hn3HSeTd0",
};
const check = (got, want, what) => {
  if (got !== want) throw new Error(`${what}: ${got} != ${want}`);
};

const cases = [];
const ok = (c) => cases.push({ ...c, key: c.key ?? KEYS[c.pg] ?? "" });
const bad = (c) => cases.push({ ...c, key: c.key ?? KEYS[c.pg] ?? "" });

// ---- XPay ------------------------------------------------------------------------------------
const XGW = {
  test: "https://xpay-gateway-sandbox.tosspayments.com/xpay/Gateway.do",
  live: "https://xpay-gateway.tosspayments.com/xpay/Gateway.do",
};
const FORM = "application/x-www-form-urlencoded";
const JSON_CT = "application/json";
function xpayAuth(body, now, key) {
  const header = `${body.LGD_MID}-01${now}`;
  const txid = header + h("sha1", header + Object.values(body).join(""));
  return { ...body, LGD_TXID: txid, LGD_AUTHCODE: h("sha1", txid + key) };
}
for (const mode of ["test", "live"]) {
  const mid = (mode === "test" ? "t" : "") + "lgdacomxpay";
  const now = "20240101123000";
  ok({
    name: `xpay payment_by_key ${mode}`,
    source: "manual 000 §6.5; notes §1.2 (LGD_TXID/LGD_AUTHCODE, LGD_AMOUNTCHECKYN=Y + LGD_AMOUNT), §1.4 (t prefix)",
    pg: "xpay", call: "payment_by_key", mode, now,
    params: { CST_MID: "lgdacomxpay", LGD_PAYKEY: "PKtest20240101123000", LGD_AMOUNT: "50000" },
    expect: {
      method: "POST", url: XGW[mode], content_type: FORM,
      fields: xpayAuth({ LGD_TXNAME: "PaymentByKey", LGD_MID: mid, LGD_PAYKEY: "PKtest20240101123000", LGD_AMOUNTCHECKYN: "Y", LGD_AMOUNT: "50000" }, now, KEYS.xpay),
    },
  });
}
ok({
  name: "xpay cancel", source: "manual 000 §7.1 (LGD_TXNAME=Cancel, LGD_MID, LGD_TID ≤ 24)",
  pg: "xpay", call: "cancel", mode: "test", now: "20240102090000",
  params: { LGD_MID: "tlgdacomxpay", LGD_TID: "tlgda2024010112300012345" },
  expect: { method: "POST", url: XGW.test, content_type: FORM,
    fields: xpayAuth({ LGD_TXNAME: "Cancel", LGD_MID: "tlgdacomxpay", LGD_TID: "tlgda2024010112300012345" }, "20240102090000", KEYS.xpay) },
});
ok({
  name: "xpay partial_cancel with a virtual-account refund account",
  source: "Toss PartialCancel sample (observed, crates/hanpay-pg/src/pg/xpay/call.rs): LGD_CANCELAMOUNT, LGD_REMAINAMOUNT, LGD_RF*, LGD_REQREMAIN=1",
  pg: "xpay", call: "partial_cancel", mode: "test", now: "20240102090000",
  params: { CST_MID: "lgdacomxpay", LGD_TID: "tlgda2024010112300012345", LGD_CANCELAMOUNT: "1000", LGD_REMAINAMOUNT: "50000",
    LGD_CANCELREASON: "부분 반품", LGD_RFACCOUNTNUM: "12345678901", LGD_RFBANKCODE: "004", LGD_RFCUSTOMERNAME: "홍길동", LGD_RFPHONE: "01012345678" },
  expect: { method: "POST", url: XGW.test, content_type: FORM,
    fields: xpayAuth({ LGD_TXNAME: "PartialCancel", LGD_MID: "tlgdacomxpay", LGD_TID: "tlgda2024010112300012345", LGD_CANCELAMOUNT: "1000",
      LGD_REMAINAMOUNT: "50000", LGD_CANCELREASON: "부분 반품", LGD_RFACCOUNTNUM: "12345678901", LGD_RFBANKCODE: "004",
      LGD_RFCUSTOMERNAME: "홍길동", LGD_RFPHONE: "01012345678", LGD_REQREMAIN: "1", LGD_ENCODING: "UTF-8" }, "20240102090000", KEYS.xpay) },
});
const xbase = { CST_MID: "lgdacomxpay", LGD_PAYKEY: "PK1", LGD_AMOUNT: "50000" };
bad({ name: "xpay payment_by_key without the merchant's amount", source: "notes §1.2 amount check", pg: "xpay", call: "payment_by_key", mode: "test", now: "20240101123000",
  params: { CST_MID: "lgdacomxpay", LGD_PAYKEY: "PK1" }, error: { field: "LGD_AMOUNT", rule: "required" } });
bad({ name: "xpay amount with a comma", source: "manual 000 §5.2 LGD_AMOUNT (',' 를 제외한)", pg: "xpay", call: "payment_by_key", mode: "test", now: "20240101123000",
  params: { ...xbase, LGD_AMOUNT: "50,000" }, error: { field: "LGD_AMOUNT", rule: "digits" } });
bad({ name: "xpay LGD_MID of the other mode", source: "notes §1.4", pg: "xpay", call: "payment_by_key", mode: "live", now: "20240101123000",
  params: { ...xbase, LGD_MID: "tlgdacomxpay" }, error: { field: "LGD_MID", rule: "conflict" } });
bad({ name: "xpay no MertKey", source: "notes §1.2 LGD_AUTHCODE", pg: "xpay", call: "payment_by_key", mode: "test", now: "20240101123000", key: "",
  params: xbase, error: { field: "LGD_AUTHCODE", rule: "key" } });
bad({ name: "xpay cancel TID over 24", source: "manual 000 §7.1 LGD_TID 24", pg: "xpay", call: "cancel", mode: "test", now: "20240101123000",
  params: { CST_MID: "lgdacomxpay", LGD_TID: "tlgdacomxpay2024010112300012" }, error: { field: "LGD_TID", rule: "max_bytes" } });
bad({ name: "xpay partial cancel above what remains", source: "LGD_REMAINAMOUNT 취소전 남은금액", pg: "xpay", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { CST_MID: "lgdacomxpay", LGD_TID: "T1", LGD_CANCELAMOUNT: "60000", LGD_REMAINAMOUNT: "50000" }, error: { field: "LGD_CANCELAMOUNT", rule: "sum" } });
bad({ name: "xpay refund account without holder", source: "LGD_RF* 가상계좌 환불인경우만 필수", pg: "xpay", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { CST_MID: "lgdacomxpay", LGD_TID: "T1", LGD_CANCELAMOUNT: "100", LGD_RFACCOUNTNUM: "123", LGD_RFBANKCODE: "004" }, error: { field: "LGD_RFCUSTOMERNAME", rule: "required" } });

// ---- Smartro ---------------------------------------------------------------------------------
const SC = { test: "https://tpay.smilepay.co.kr/cancel/payCancelNVProcess.jsp", live: "https://pay.smilepay.co.kr/cancel/payCancelNVProcess.jsp" };
const TID = "SMTPAY001m01011708181134147103";
const shash = (tid, amt, code) => b64(h("md5", tid + KEYS.smartro + amt + code));
check(shash(TID, "1004", "0"), "ZGUyNWFlNjBhNTE2ZmFhMzIxYTE2NmU0MjM3MTllYTg=", "notes §6.2 #5");
check(shash(TID, "500", "1"), "Mzk5YTU1ZTRhMTgyM2JmZmY4YWJlNTc1NmIzYmI4ZWY=", "notes §6.2 #6");
ok({ name: "smartro cancel", source: "manual 001 §5.2.1; notes §6.2 #5", pg: "smartro", call: "cancel", mode: "test", now: "20240101123000",
  params: { TID, Cancelpw: "123456", CancelAmt: "1004", CancelMSG: "고객 요청" },
  expect: { method: "POST", url: SC.test, content_type: FORM,
    fields: { TID, Cancelpw: "123456", CancelAmt: "1004", CancelMSG: "고객 요청", PartialCancelCode: "0", hashData: shash(TID, "1004", "0") } } });
ok({ name: "smartro partial_cancel", source: "manual 001 §5.2.1 PartialCancelCode 1; notes §6.2 #6", pg: "smartro", call: "partial_cancel", mode: "live", now: "20240101123000",
  params: { TID, Cancelpw: "123456", CancelAmt: "500" },
  expect: { method: "POST", url: SC.live, content_type: FORM,
    fields: { TID, Cancelpw: "123456", CancelAmt: "500", PartialCancelCode: "1", hashData: shash(TID, "500", "1") } } });
const DIV = b64("{'DivideInfo':[{'Amt':'502','MID':'SMTSUB002m'},{'Amt':'502','MID':'SMTSUB003m'}]}");
ok({ name: "smartro sub-mall partial_cancel with DivideInfo", source: "manual 001 §5.2.1 rows 7-8 and Note (example DivideInfo, 502+502)", pg: "smartro", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { TID, Cancelpw: "123456", CancelAmt: "1004", MerchantMode: "T", DivideInfo: DIV },
  expect: { method: "POST", url: SC.test, content_type: FORM,
    fields: { TID, Cancelpw: "123456", CancelAmt: "1004", PartialCancelCode: "1", hashData: shash(TID, "1004", "1"), MerchantMode: "T", DivideInfo: DIV } } });
const sbase = { TID, Cancelpw: "123456", CancelAmt: "1004" };
bad({ name: "smartro sub-mall partial without DivideInfo", source: "001:L830 부분취소를 사용할 시 DivideInfo 값은 필수", pg: "smartro", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { ...sbase, MerchantMode: "T" }, error: { field: "DivideInfo", rule: "required" } });
bad({ name: "smartro DivideInfo not adding up", source: "001 §5.2.1 Note 총액은 같아야", pg: "smartro", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { ...sbase, CancelAmt: "1000", MerchantMode: "T", DivideInfo: DIV }, error: { field: "DivideInfo", rule: "sum" } });
bad({ name: "smartro PartialCancelCode 1 on a full cancel", source: "001 §5.2.1 row 5", pg: "smartro", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...sbase, PartialCancelCode: "1" }, error: { field: "PartialCancelCode", rule: "conflict" } });
bad({ name: "smartro short TID", source: "001 §5.2.1 row 1 (30)", pg: "smartro", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...sbase, TID: TID.slice(1) }, error: { field: "TID", rule: "format" } });
bad({ name: "smartro no cancel password", source: "001 §5.2.1 row 2", pg: "smartro", call: "cancel", mode: "test", now: "20240101123000",
  params: { TID, CancelAmt: "1004" }, error: { field: "Cancelpw", rule: "required" } });
bad({ name: "smartro CancelMSG over 100 bytes", source: "001 §5.2.1 row 4 (한글 3byte)", pg: "smartro", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...sbase, CancelMSG: "가".repeat(34) }, error: { field: "CancelMSG", rule: "max_bytes" } });

// ---- KCP -------------------------------------------------------------------------------------
const KH = { test: "https://stg-spl.kcp.co.kr", live: "https://spl.kcp.co.kr" };
const cert = "-----BEGIN CERTIFICATE-----MIIDgTCCAmmgAwIBAgIHBy4lYNG7ojANBgkqhkiG9w0BAQsFADBzMQswCQYDVQQGEwJLUjEOMAwGA1UECAwFU2VvdWw-----END CERTIFICATE-----";
ok({ name: "kcp approve", source: "notes §3.2 (REST approval fields); manual 003 참고사항 4 ordr_mony (003:L285-297)", pg: "kcp", call: "approve", mode: "test", now: "20240101123000",
  params: { site_cd: "T0000", kcp_cert_info: cert, tran_cd: "00100000", enc_data: "ab12", enc_info: "cd34", ordr_mony: "1004", pay_type: "PACA", ordr_idxx: "not-sent" },
  expect: { method: "POST", url: `${KH.test}/gw/enc/v1/payment`, content_type: JSON_CT,
    fields: { site_cd: "T0000", kcp_cert_info: cert, tran_cd: "00100000", enc_data: "ab12", enc_info: "cd34", ordr_mony: "1004", pay_type: "PACA" } } });
const kmod = { site_cd: "T0000", kcp_cert_info: cert, kcp_sign_data: "c2lnbmF0dXJl", tno: "20240101000001" };
ok({ name: "kcp cancel", source: "manual 003 §3 (req_tx mod, STSC, tno N 14, mod_desc); notes §3.2 (REST mod, kcp_sign_data)", pg: "kcp", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_desc: "고객변심" },
  expect: { method: "POST", url: `${KH.test}/gw/mod/v1/cancel`, content_type: JSON_CT, fields: { ...kmod, mod_type: "STSC", mod_desc: "고객변심" } } });
ok({ name: "kcp partial_cancel", source: "KCP pp_cli samples: STPC with mod_mny 취소요청금액 / rem_mny 취소가능잔액; 003 상태코드 STPC 부분취소", pg: "kcp", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_mny: "500", rem_mny: "1004", mod_desc: "부분취소" },
  expect: { method: "POST", url: `${KH.test}/gw/mod/v1/cancel`, content_type: JSON_CT, fields: { ...kmod, mod_type: "STPC", mod_mny: "500", rem_mny: "1004", mod_desc: "부분취소" } } });
ok({ name: "kcp capture", source: "manual 003 §4 변경요청 (STMR 매입요청)", pg: "kcp", call: "capture", mode: "live", now: "20240101123000",
  params: { ...kmod, site_cd: "SR123" },
  expect: { method: "POST", url: `${KH.live}/gw/mod/v1/cancel`, content_type: JSON_CT, fields: { ...kmod, site_cd: "SR123", mod_type: "STMR" } } });
const treg = { site_cd: "T0000", ordr_idxx: "K-1", good_mny: "1004", good_name: "책", pay_method: "CARD", Ret_URL: "https://shop.example/r" };
ok({ name: "kcp trade_register test", source: "notes §3.3 (gnuboard5@5bb963284 kcp_api_trade_reg.php: site_cd, ordr_idxx, good_mny, good_name, pay_method, Ret_URL, user_agent)", pg: "kcp", call: "trade_register", mode: "test", now: "20240101123000",
  params: { ...treg, buyr_name: "not-sent" }, expect: { method: "POST", url: "https://testsmpay.kcp.co.kr/trade/register.do", content_type: JSON_CT, fields: treg } });
ok({ name: "kcp trade_register live", source: "notes §3.3 (smpay.kcp.co.kr)", pg: "kcp", call: "trade_register", mode: "live", now: "20240101123000",
  params: { ...treg, site_cd: "SR123" }, expect: { method: "POST", url: "https://smpay.kcp.co.kr/trade/register.do", content_type: JSON_CT, fields: { ...treg, site_cd: "SR123" } } });
bad({ name: "kcp trade_register with a PC bitmap", source: "notes §3.3 (mobile pay_method CARD|BANK|VCNT|MOBX|AUTH)", pg: "kcp", call: "trade_register", mode: "test", now: "20240101123000",
  params: { ...treg, pay_method: "100000000000" }, error: { field: "pay_method", rule: "one_of" } });
bad({ name: "kcp trade_register without Ret_URL", source: "notes §3.3", pg: "kcp", call: "trade_register", mode: "test", now: "20240101123000",
  params: { ...treg, Ret_URL: "" }, error: { field: "Ret_URL", rule: "required" } });
bad({ name: "kcp trade_register javascript Ret_URL", source: "Ret_URL is where KCP posts the result: an http(s) URL", pg: "kcp", call: "trade_register", mode: "test", now: "20240101123000",
  params: { ...treg, Ret_URL: "javascript:alert(1)" }, error: { field: "Ret_URL", rule: "format" } });
bad({ name: "kcp capture with an amount", source: "manual 003 §4 (STMR: req_tx, mod_type, tno only)", pg: "kcp", call: "capture", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_mny: "100" }, error: { field: "mod_mny", rule: "conflict" } });
bad({ name: "kcp partial cancel above the remaining amount", source: "rem_mny 취소가능잔액", pg: "kcp", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_mny: "2000", rem_mny: "1004" }, error: { field: "mod_mny", rule: "sum" } });
bad({ name: "kcp partial cancel without rem_mny", source: "KCP samples: STPC sends mod_mny and rem_mny", pg: "kcp", call: "partial_cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_mny: "500" }, error: { field: "rem_mny", rule: "required" } });
bad({ name: "kcp test site on the live host", source: "manual 003 F&Q (3014)", pg: "kcp", call: "approve", mode: "live", now: "20240101123000",
  params: { site_cd: "T0000", kcp_cert_info: cert, tran_cd: "00100000", enc_data: "a", enc_info: "b", ordr_mony: "1004", pay_type: "PACA" }, error: { field: "site_cd", rule: "conflict" } });
bad({ name: "kcp approve without the merchant's amount", source: "003 참고사항 4 ordr_mony", pg: "kcp", call: "approve", mode: "test", now: "20240101123000",
  params: { site_cd: "T0000", kcp_cert_info: cert, tran_cd: "00100000", enc_data: "a", enc_info: "b", pay_type: "PACA" }, error: { field: "ordr_mony", rule: "required" } });
bad({ name: "kcp short tno", source: "manual 003 §3 tno N 14", pg: "kcp", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, tno: "2024010100000" }, error: { field: "tno", rule: "format" } });
bad({ name: "kcp amount on a full cancel", source: "manual 003 §3 (STSC has no amount)", pg: "kcp", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_mny: "500" }, error: { field: "mod_mny", rule: "conflict" } });
bad({ name: "kcp forbidden character in mod_desc", source: "manual 003 특수문자 (, & ; \\n \\ | ' \")", pg: "kcp", call: "cancel", mode: "test", now: "20240101123000",
  params: { ...kmod, mod_desc: "a|b" }, error: { field: "mod_desc", rule: "forbidden_char" } });

// ---- KSNET -----------------------------------------------------------------------------------
const KS = "https://kspay.ksnet.to/store/KSPayWebV1.4/web_host/recv_post.jsp";
const RPY = "authyn`trno`trddt`trdtm`amt`authno`msg1`msg2`ordno`isscd`aqucd`result`halbu`cbtrno`cbauthno";
for (const [call, action] of [["fetch_result", "1"], ["confirm_result", "3"]]) {
  ok({ name: `kspay ${call}`, source: "notes §4.1 (recv_post.jsp, sndActionType 1 then 3, sndRpyParams)", pg: "kspay", call, mode: "test", now: "20240101123000",
    params: { sndCommConId: "KSNETCONID0001" },
    expect: { method: "POST", url: KS, content_type: FORM, fields: { sndCommConId: "KSNETCONID0001", sndActionType: action, sndRpyParams: RPY } } });
}
bad({ name: "kspay fetch without the id", source: "notes §4.1 sndCommConId = reCommConId", pg: "kspay", call: "fetch_result", mode: "test", now: "20240101123000",
  params: {}, error: { field: "sndCommConId", rule: "required" } });
bad({ name: "kspay confirm sent as a fetch", source: "notes §4.1", pg: "kspay", call: "fetch_result", mode: "test", now: "20240101123000",
  params: { sndCommConId: "X", sndActionType: "3" }, error: { field: "sndActionType", rule: "conflict" } });

// ---- KISPG -----------------------------------------------------------------------------------
const KI = { test: "https://testapi.kispg.co.kr", live: "https://api.kispg.co.kr" };
const enc = (edi, amt) => h("sha256", "kistest00m" + edi + amt + KEYS.kispg);
check(enc("20240101123000", "50000"), "af0866af6c2fc5ba26c358073d63a4d909e62e688867a5d04697f464c2ceeb85", "notes §6.4 #2");
check(enc("20240101130000", "500"), "67e252267233125b88db3c9ab53cd2dc0c6026602666a9e9f9a93d69610226ef", "notes §6.4 #3");
const KTID = "kistest00m01012401011230001234";
ok({ name: "kispg payment", source: "manual 004 §3.2.1; notes §6.4 #2", pg: "kispg", call: "payment", mode: "test", now: "20240101123000",
  params: { mid: "kistest00m", tid: KTID, goodsAmt: "50000" },
  expect: { method: "POST", url: `${KI.test}/v2/payment`, content_type: JSON_CT,
    fields: { mid: "kistest00m", tid: KTID, goodsAmt: "50000", ediDate: "20240101123000", encData: enc("20240101123000", "50000"), charset: "UTF-8" } } });
const can = { payMethod: "card", tid: KTID, mid: "kistest00m", ordNo: "order-1", canAmt: "500", canId: "admin", canNm: "홍길동", canMsg: "고객요청", canIp: "127.0.0.1" };
ok({ name: "kispg cancel with the optional fields", source: "manual 004 §3.3.1 (20 fields); §7.2; notes §6.4 #3", pg: "kispg", call: "cancel", mode: "test", now: "20240101130000",
  params: { ...can, goodsSplAmt: "455", goodsVat: "45", goodsSvsAmt: "0", mbsReserved: "m1" },
  expect: { method: "POST", url: `${KI.test}/v2/cancel`, content_type: JSON_CT,
    fields: { ...can, partCanFlg: "0", encData: enc("20240101130000", "500"), ediDate: "20240101130000", goodsSplAmt: "455", goodsVat: "45", goodsSvsAmt: "0", charset: "UTF-8", mbsReserved: "m1" } } });
ok({ name: "kispg partial_cancel", source: "manual 004 §3.3.1 partCanFlg 1", pg: "kispg", call: "partial_cancel", mode: "live", now: "20240101130000",
  params: { ...can, mid: "kis000001m" },
  expect: { method: "POST", url: `${KI.live}/v2/cancel`, content_type: JSON_CT,
    fields: { ...can, mid: "kis000001m", partCanFlg: "1", encData: h("sha256", "kis000001m" + "20240101130000" + "500" + KEYS.kispg), ediDate: "20240101130000", charset: "UTF-8" } } });
const refund = { refundBankCd: "004", refundAccnt: "123456789", refundNm: "임꺽정" };
ok({ name: "kispg refund of a deposited virtual account", source: "manual 004 §3.3.1 refundBankCd/refundAccnt/refundNm 환불일 때 필수 (004:L389-391)", pg: "kispg", call: "refund", mode: "test", now: "20240101130000",
  params: { ...can, payMethod: "vacnt", ...refund },
  expect: { method: "POST", url: `${KI.test}/v2/cancel`, content_type: JSON_CT,
    fields: { ...can, payMethod: "vacnt", partCanFlg: "0", ...refund, encData: enc("20240101130000", "500"), ediDate: "20240101130000", charset: "UTF-8" } } });
ok({ name: "kispg order lookup by ordNo", source: "manual 004 §3.4.1; §7.1", pg: "kispg", call: "order", mode: "test", now: "20240101123000",
  params: { mid: "kistest00m", ordNo: "order-1", goodsAmt: "50000" },
  expect: { method: "POST", url: `${KI.test}/v2/order`, content_type: JSON_CT,
    fields: { mid: "kistest00m", ordNo: "order-1", goodsAmt: "50000", encData: enc("20240101123000", "50000"), ediDate: "20240101123000" } } });
bad({ name: "kispg refund without the holder", source: "004:L391 refundNm 환불일 때 필수", pg: "kispg", call: "refund", mode: "test", now: "20240101130000",
  params: { ...can, payMethod: "vacnt", refundBankCd: "004", refundAccnt: "123456789" }, error: { field: "refundNm", rule: "required" } });
bad({ name: "kispg refund of a card", source: "004:L389-391 (refund of a virtual account)", pg: "kispg", call: "refund", mode: "test", now: "20240101130000",
  params: { ...can, ...refund }, error: { field: "payMethod", rule: "one_of" } });
bad({ name: "kispg refund fields on a cancel", source: "004 §3.3.1", pg: "kispg", call: "cancel", mode: "test", now: "20240101130000",
  params: { ...can, ...refund }, error: { field: "refundBankCd", rule: "conflict" } });
bad({ name: "kispg stale ediDate", source: "004 §3.3.1 ediDate 현재 시각 -10분까지 유효", pg: "kispg", call: "cancel", mode: "test", now: "20240101130000",
  params: { ...can, ediDate: "20240101124900" }, error: { field: "ediDate", rule: "stale" } });
bad({ name: "kispg lookup without tid or ordNo", source: "004 §3.4.1 거래번호/주문번호 중 1개 필수", pg: "kispg", call: "order", mode: "test", now: "20240101123000",
  params: { mid: "kistest00m", goodsAmt: "50000" }, error: { field: "tid", rule: "required" } });
bad({ name: "kispg test MID on the live host", source: "notes §5.4 kistest00m", pg: "kispg", call: "payment", mode: "live", now: "20240101123000",
  params: { mid: "kistest00m", tid: KTID, goodsAmt: "50000" }, error: { field: "mid", rule: "conflict" } });
bad({ name: "kispg cancel without a reason", source: "004 §3.3.1 canMsg 필수", pg: "kispg", call: "cancel", mode: "test", now: "20240101130000",
  params: { ...can, canMsg: "" }, error: { field: "canMsg", rule: "required" } });
bad({ name: "kispg partCanFlg 0 on a partial cancel", source: "004 §3.3.1 partCanFlg", pg: "kispg", call: "partial_cancel", mode: "test", now: "20240101130000",
  params: { ...can, partCanFlg: "0" }, error: { field: "partCanFlg", rule: "conflict" } });
bad({ name: "kispg canNm over 30 bytes", source: "004 §3.3.1 canNm 30", pg: "kispg", call: "cancel", mode: "test", now: "20240101130000",
  params: { ...can, canNm: "가".repeat(11) }, error: { field: "canNm", rule: "max_bytes" } });

// ---- SMARTRO PAY -------------------------------------------------------------------------------
// crates/hanpay-pg/src/pg/smartropay/mod.rs S2/S5: approval = JSON {Tid, TrAuthKey}; S4/S5: cancel = JSON {EncData, Mid},
// EncData = base64(AES-256-CBC(key[..32], zero IV, PKCS#7) of the JSON cancel fields in S4's order),
// HashData = base64(sha256(Tid + key + CancelAmt + PartialCancelCode)) (raw digest bytes).
const SPA = { test: "https://tapproval.smartropay.co.kr/payment/approval", live: "https://approval.smartropay.co.kr/payment/approval" };
const SPK = KEYS.smartropay;
const sha256b64 = (s) => createHash("sha256").update(s, "utf8").digest("base64");
const spEnc = (obj) => {
  const c = createCipheriv("aes-256-cbc", Buffer.from(SPK.slice(0, 32), "utf8"), Buffer.alloc(16));
  return Buffer.concat([c.update(JSON.stringify(obj), "utf8"), c.final()]).toString("base64");
};
const STID = "t_hanpay1m01012512021200000001";
ok({ name: "smartropay approve", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S2/S5 (urlCallApproval.do, JSON Tid + TrAuthKey)", pg: "smartropay", call: "approve", mode: "test", now: "20251202120000",
  params: { Tid: STID, TrAuthKey: "TA0001", Amt: "1004" },
  expect: { method: "POST", url: `${SPA.test}/urlCallApproval.do`, content_type: JSON_CT, fields: { Tid: STID, TrAuthKey: "TA0001" } } });
ok({ name: "smartropay approve live", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S3 (REAL approval host)", pg: "smartropay", call: "approve", mode: "live", now: "20251202120000",
  params: { Tid: STID, TrAuthKey: "TA0001" },
  expect: { method: "POST", url: `${SPA.live}/urlCallApproval.do`, content_type: JSON_CT, fields: { Tid: STID, TrAuthKey: "TA0001" } } });
const spCancel = (code, amt, extra = {}) => {
  const inner = { SERVICE_MODE: "CL1", Tid: STID, Mid: "t_hanpay1m", CancelAmt: amt, CancelPwd: "123456", CancelMsg: "고객 요청", CancelSeq: extra.CancelSeq ?? "1",
    PartialCancelCode: code, CancelTaxAmt: "", CancelTaxFreeAmt: "", CancelVatAmt: "", DivideInfo: "", HashData: sha256b64(STID + SPK + amt + code) };
  return { EncData: spEnc(inner), Mid: "t_hanpay1m" };
};
ok({ name: "smartropay cancel", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S4 (cancel.do, SERVICE_MODE CL1, CancelSeq 1, HashData, EncData)", pg: "smartropay", call: "cancel", mode: "test", now: "20251202120000",
  params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "1004", CancelPwd: "123456", CancelMsg: "고객 요청" },
  expect: { method: "POST", url: `${SPA.test}/cancel.do`, content_type: JSON_CT, fields: spCancel("0", "1004") } });
ok({ name: "smartropay second partial cancel", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S4 (PartialCancelCode 1; CancelSeq counts partial cancels)", pg: "smartropay", call: "partial_cancel", mode: "live", now: "20251202120000",
  params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "500", CancelPwd: "123456", CancelMsg: "고객 요청", CancelSeq: "2" },
  expect: { method: "POST", url: `${SPA.live}/cancel.do`, content_type: JSON_CT, fields: spCancel("1", "500", { CancelSeq: "2" }) } });
bad({ name: "smartropay approve without TrAuthKey", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S2 (Tid + TrAuthKey)", pg: "smartropay", call: "approve", mode: "test", now: "20251202120000",
  params: { Tid: STID }, error: { field: "TrAuthKey", rule: "required" } });
bad({ name: "smartropay approve with a non-ASCII Tid", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs (Tid printable ASCII)", pg: "smartropay", call: "approve", mode: "test", now: "20251202120000",
  params: { Tid: "가", TrAuthKey: "TA" }, error: { field: "Tid", rule: "format" } });
bad({ name: "smartropay cancel with PartialCancelCode 1", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S4 (0: 전체취소, 1: 부분취소)", pg: "smartropay", call: "cancel", mode: "test", now: "20251202120000",
  params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "1004", PartialCancelCode: "1" }, error: { field: "PartialCancelCode", rule: "conflict" } });
bad({ name: "smartropay cancel of nothing", source: "src/call.rs positive amounts", pg: "smartropay", call: "cancel", mode: "test", now: "20251202120000",
  params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "0" }, error: { field: "CancelAmt", rule: "digits" } });
bad({ name: "smartropay cancel with CancelSeq 0", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S4 (취소차수 기본값 1)", pg: "smartropay", call: "cancel", mode: "test", now: "20251202120000",
  params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "1004", CancelSeq: "0" }, error: { field: "CancelSeq", rule: "digits" } });
bad({ name: "smartropay cancel with a key shorter than the AES key", source: "crates/hanpay-pg/src/pg/smartropay/mod.rs S4 substr($MerchantKey,0,32)", pg: "smartropay", call: "cancel", mode: "test", now: "20251202120000",
  key: "short-key", params: { Tid: STID, Mid: "t_hanpay1m", CancelAmt: "1004" }, error: { field: "EncData", rule: "key" } });

// ---- dispatch --------------------------------------------------------------------------------
bad({ name: "a call the PG does not have", source: "issue 13 CLI contract (call one_of)", pg: "smartro", call: "approve", mode: "test", now: "20240101123000",
  params: {}, error: { field: "call", rule: "one_of" } });

writeFileSync(new URL("requests.json", import.meta.url), JSON.stringify({ cases }, null, 1) + "\n");
console.log(`${cases.length} cases`);
