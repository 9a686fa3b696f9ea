// Generates tests/data/responses.json, the server-call response cases of issue 13 (run: node
// tests/data/gen-responses.mjs). Each case is a PG's answer to one server call, decoded to flat
// fields, the merchant's own record of the request (`expect`: tid, order id, amount), and what
// `hanpay::pg::call::read_response` must make of it. Codes and fields come from the manuals:
//  - XPay   000 §7.2 (LGD_RESPCODE/LGD_RESPMSG), §7.3 (cancel-success codes per method), §6.5/6.6
//  - Smartro 001 §5.3 (cancel answer), §7.6 (2001 취소 성공, 2013 기취소, 2032 …), §7.7 (2211)
//  - KCP    003 §3/§4 (mod answer res_cd/res_msg/tno), 결과처리 (0000 정상처리)
//  - KSNET  notes §4.1 (recv_post answer fields, authyn O/X)
//  - KISPG  004 §3.2.2 (approval), §3.3.2 (cancel: 2001, cancelYN), §3.4.2 (lookup: trxStatus, cancelData)
// The KISPG approval's encData is computed here with node:crypto (004 §7.1).
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";

const KISPG_KEY = "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";
const sha256 = (s) => createHash("sha256").update(s, "utf8").digest("hex");
const cases = [];
const C = (c) => cases.push({ key: "", ...c });

// ---- XPay ------------------------------------------------------------------------------------
const XTID = "tlgda2024010112300012345";
const xpayPaid = { LGD_RESPCODE: "0000", LGD_RESPMSG: "결제성공", LGD_MID: "tlgdacomxpay", LGD_OID: "X1", LGD_AMOUNT: "1004", LGD_TID: XTID, LGD_PAYTYPE: "SC0010" };
C({ name: "xpay payment_by_key paid", source: "000 §6.5/§6.6", pg: "xpay", call: "payment_by_key", body: xpayPaid, expect: { order_id: "X1", amount: 1004 }, want: { status: "paid", success: true, amount: 1004, tid: XTID } });
C({ name: "xpay payment_by_key declined", source: "000 §6.6 (not 0000)", pg: "xpay", call: "payment_by_key", body: { ...xpayPaid, LGD_RESPCODE: "XC01", LGD_RESPMSG: "거절" }, expect: { order_id: "X1", amount: 1004 }, want: { status: "failed", success: false } });
C({ name: "xpay payment_by_key tampered amount", source: "amount differs from the order", pg: "xpay", call: "payment_by_key", body: { ...xpayPaid, LGD_AMOUNT: "10" }, expect: { order_id: "X1", amount: 1004 }, want: { status: "rejected", success: false } });
C({ name: "xpay cancel ok", source: "000 §7.2/§7.3 (0000)", pg: "xpay", call: "cancel", body: { LGD_RESPCODE: "0000", LGD_RESPMSG: "취소성공" }, expect: { tid: XTID, order_id: "X1" }, want: { status: "cancelled", success: false, tid: XTID, order_id: "X1" } });
C({ name: "xpay cancel AV11 card", source: "000 §7.3 (신용카드 0000, AV11)", pg: "xpay", call: "cancel", body: { LGD_RESPCODE: "AV11", LGD_RESPMSG: "" }, expect: { tid: XTID }, want: { status: "cancelled" } });
C({ name: "xpay cancel RF09 is not a card success", source: "000 §7.3 (RF codes are bank transfer only)", pg: "xpay", call: "cancel", body: { LGD_RESPCODE: "RF09", LGD_PAYTYPE: "SC0010" }, expect: { tid: XTID }, want: { status: "failed" } });
C({ name: "xpay cancel refused", source: "000 §7.3 (anything else is not a cancel)", pg: "xpay", call: "cancel", body: { LGD_RESPCODE: "XC10", LGD_RESPMSG: "취소불가" }, expect: { tid: XTID }, want: { status: "failed", success: false } });
C({ name: "xpay cancel for another tid", source: "tampered: the answer names another transaction", pg: "xpay", call: "cancel", body: { LGD_RESPCODE: "0000", LGD_TID: "tlgda2024010112300099999" }, expect: { tid: XTID }, want: { status: "rejected" } });
C({ name: "xpay partial_cancel ok", source: "PartialCancel sample (LGD_REQREMAIN=1)", pg: "xpay", call: "partial_cancel", body: { LGD_RESPCODE: "0000", LGD_TID: XTID, LGD_CANCELAMOUNT: "300", LGD_REMAINAMOUNT: "704" }, expect: { tid: XTID, amount: 300 }, want: { status: "partially_cancelled", amount: 300, remaining: 704 } });
C({ name: "xpay partial_cancel of the rest", source: "nothing remains", pg: "xpay", call: "partial_cancel", body: { LGD_RESPCODE: "0000", LGD_TID: XTID, LGD_CANCELAMOUNT: "704", LGD_REMAINAMOUNT: "0" }, expect: { tid: XTID, amount: 704 }, want: { status: "cancelled", remaining: 0 } });
C({ name: "xpay partial_cancel refused", source: "not 0000", pg: "xpay", call: "partial_cancel", body: { LGD_RESPCODE: "XC11", LGD_RESPMSG: "취소가능금액 초과" }, expect: { tid: XTID, amount: 5000 }, want: { status: "failed" } });
C({ name: "xpay partial_cancel tampered amount", source: "cancelled amount differs from the request", pg: "xpay", call: "partial_cancel", body: { LGD_RESPCODE: "0000", LGD_TID: XTID, LGD_CANCELAMOUNT: "30" }, expect: { tid: XTID, amount: 300 }, want: { status: "rejected" } });

// ---- Smartro ---------------------------------------------------------------------------------
const STID = "SMTPAY001m01012401011230001234";
const sm = { PayMethod: "CARD", MID: "SMTPAY001m", TID: STID, CancelAmt: "1004", CancelMSG: "고객요청", ResultCode: "2001", ResultMsg: "취소 성공", Moid: "S1" };
C({ name: "smartro cancel ok", source: "001 §5.3, §7.6 (2001)", pg: "smartro", call: "cancel", body: sm, expect: { tid: STID, order_id: "S1", amount: 1004 }, want: { status: "cancelled", amount: 1004, tid: STID } });
C({ name: "smartro bank refund ok", source: "001 §7.7 (2211 환불 요청 성공)", pg: "smartro", call: "cancel", body: { ...sm, PayMethod: "BANK", ResultCode: "2211", ResultMsg: "" }, expect: { tid: STID, amount: 1004 }, want: { status: "cancelled" } });
C({ name: "smartro double cancel (2013 기취소)", source: "001 §7.6 #19: this call moved nothing", pg: "smartro", call: "cancel", body: { ...sm, ResultCode: "2013", ResultMsg: "취소 완료 거래임(기취소)" }, expect: { tid: STID, amount: 1004 }, want: { status: "failed", code: "2013" } });
C({ name: "smartro cancel password wrong", source: "001 §7.6 #16 (2024)", pg: "smartro", call: "cancel", body: { ...sm, ResultCode: "2024", ResultMsg: "취소패스워드 불일치" }, expect: { tid: STID, amount: 1004 }, want: { status: "failed" } });
C({ name: "smartro cancel for another tid", source: "tampered TID", pg: "smartro", call: "cancel", body: { ...sm, TID: "SMTPAY001m01012401011230009999" }, expect: { tid: STID, amount: 1004 }, want: { status: "rejected" } });
C({ name: "smartro partial_cancel ok", source: "001 §5.3 (PTID), §7.6 (2001)", pg: "smartro", call: "partial_cancel", body: { ...sm, CancelAmt: "300", PTID: "SMTPAY001m01012401011230005678" }, expect: { tid: STID, amount: 300 }, want: { status: "partially_cancelled", amount: 300 } });
C({ name: "smartro partial_cancel above the rest", source: "001 §7.6 #25 (2032 취소금액이 취소가능금액보다 큼)", pg: "smartro", call: "partial_cancel", body: { ...sm, CancelAmt: "5000", ResultCode: "2032", ResultMsg: "취소금액이 취소가능금액보다 큼." }, expect: { tid: STID, amount: 5000 }, want: { status: "failed" } });
C({ name: "smartro partial_cancel tampered amount", source: "CancelAmt differs from the request", pg: "smartro", call: "partial_cancel", body: { ...sm, CancelAmt: "1004" }, expect: { tid: STID, amount: 300 }, want: { status: "rejected" } });

// ---- KCP -------------------------------------------------------------------------------------
const TNO = "20240101123456";
C({ name: "kcp approve paid", source: "notes §3.2 (REST approval answer)", pg: "kcp", call: "approve", body: { res_cd: "0000", res_msg: "정상처리", tno: TNO, amount: "1004", ordr_idxx: "K1", pay_method: "PACA", card_cd: "CCBC" }, expect: { order_id: "K1", amount: 1004 }, want: { status: "paid", success: true, tid: TNO } });
C({ name: "kcp approve amount tamper refused (8059)", source: "003 참고사항 4 (8059 결제금액 불일치)", pg: "kcp", call: "approve", body: { res_cd: "8059", res_msg: "포맷에러" }, expect: { order_id: "K1", amount: 1004 }, want: { status: "failed" } });
C({ name: "kcp approve tampered amount", source: "answer amount differs", pg: "kcp", call: "approve", body: { res_cd: "0000", tno: TNO, amount: "10", ordr_idxx: "K1", pay_method: "PACA" }, expect: { order_id: "K1", amount: 1004 }, want: { status: "rejected" } });
C({ name: "kcp cancel STSC ok", source: "003 §3 변경요청 (res_cd 0000)", pg: "kcp", call: "cancel", body: { res_cd: "0000", res_msg: "정상처리", tno: TNO }, expect: { tid: TNO }, want: { status: "cancelled", tid: TNO } });
C({ name: "kcp cancel refused", source: "not 0000", pg: "kcp", call: "cancel", body: { res_cd: "8133", res_msg: "기취소 거래" }, expect: { tid: TNO }, want: { status: "failed" } });
C({ name: "kcp cancel for another tno", source: "tampered tno", pg: "kcp", call: "cancel", body: { res_cd: "0000", tno: "20240101999999" }, expect: { tid: TNO }, want: { status: "rejected" } });
C({ name: "kcp partial_cancel STPC ok", source: "003 STPC 부분취소; mod_mny/rem_mny", pg: "kcp", call: "partial_cancel", body: { res_cd: "0000", tno: TNO, mod_mny: "300", rem_mny: "704" }, expect: { tid: TNO, amount: 300 }, want: { status: "partially_cancelled", amount: 300, remaining: 704 } });
C({ name: "kcp partial_cancel of the rest", source: "rem_mny 0", pg: "kcp", call: "partial_cancel", body: { res_cd: "0000", tno: TNO, panc_mod_mny: "704", panc_rem_mny: "0" }, expect: { tid: TNO, amount: 704 }, want: { status: "cancelled", remaining: 0 } });
C({ name: "kcp partial_cancel refused", source: "not 0000", pg: "kcp", call: "partial_cancel", body: { res_cd: "9999", res_msg: "취소가능금액 초과" }, expect: { tid: TNO, amount: 5000 }, want: { status: "failed" } });
C({ name: "kcp partial_cancel tampered amount", source: "mod_mny differs from the request", pg: "kcp", call: "partial_cancel", body: { res_cd: "0000", tno: TNO, mod_mny: "30", rem_mny: "974" }, expect: { tid: TNO, amount: 300 }, want: { status: "rejected" } });
C({ name: "kcp capture STMR ok", source: "003 §4 매입요청 (STMR)", pg: "kcp", call: "capture", body: { res_cd: "0000", tno: TNO }, expect: { tid: TNO, amount: 1004 }, want: { status: "paid", success: true } });
C({ name: "kcp capture refused", source: "not 0000", pg: "kcp", call: "capture", body: { res_cd: "8150", res_msg: "매입요청 불가" }, expect: { tid: TNO, amount: 1004 }, want: { status: "failed" } });
C({ name: "kcp capture for another tno", source: "tampered tno", pg: "kcp", call: "capture", body: { res_cd: "0000", tno: "20240101999999" }, expect: { tid: TNO }, want: { status: "rejected" } });

C({ name: "kcp trade_register is not a payment answer", source: "notes §3.3: read with read_trade_registration", pg: "kcp", call: "trade_register", body: { Code: "0000", approvalKey: "AK" }, expect: {}, want: { status: "rejected" } });

// ---- KSNET -----------------------------------------------------------------------------------
const ks = { authyn: "O", trno: "112345678901", trddt: "20240101", trdtm: "123000", amt: "1004", authno: "12345678", msg1: "정상승인", msg2: "", ordno: "N1", isscd: "01", aqucd: "01", temp_v: "", result: "1001" };
C({ name: "kspay fetch_result paid", source: "002:L357 (authyn O)", pg: "kspay", call: "fetch_result", body: ks, expect: { order_id: "N1", amount: 1004 }, want: { status: "paid", success: true } });
C({ name: "kspay fetch_result declined", source: "002:L357 (authyn X)", pg: "kspay", call: "fetch_result", body: { ...ks, authyn: "X" }, expect: { order_id: "N1", amount: 1004 }, want: { status: "failed" } });
C({ name: "kspay fetch_result for another order", source: "security review finding 1", pg: "kspay", call: "fetch_result", body: { ...ks, ordno: "N2" }, expect: { order_id: "N1", amount: 1004 }, want: { status: "rejected" } });
C({ name: "kspay confirm_result answered with the result", source: "notes §4.1 (sndActionType 3)", pg: "kspay", call: "confirm_result", body: ks, expect: { order_id: "N1", amount: 1004 }, want: { status: "paid" } });

// ---- KISPG -----------------------------------------------------------------------------------
const KTID = "kistest00m01012401011230001234";
const edi = "20240101123000";
const kp = { resultCd: "3001", resultMsg: "카드 결제 성공", payMethod: "card", tid: KTID, ordNo: "P1", amt: "1004", mid: "kistest00m", ediDate: edi };
C({ name: "kispg payment paid (signed)", source: "004 §3.2.2, §7.1", pg: "kispg", call: "payment", key: KISPG_KEY, body: { ...kp, encData: sha256("kistest00m" + edi + "1004" + KISPG_KEY) }, expect: { order_id: "P1", amount: 1004 }, want: { status: "paid", success: true, authentic: true } });
C({ name: "kispg payment tampered encData", source: "004 §7.1: a sent encData must verify", pg: "kispg", call: "payment", key: KISPG_KEY, body: { ...kp, encData: sha256("kistest00m" + edi + "10" + KISPG_KEY) }, expect: { order_id: "P1", amount: 1004 }, want: { status: "rejected", authentic: false } });
C({ name: "kispg payment declined", source: "004 §3.2.2 (실패시 전달되는 데이터만)", pg: "kispg", call: "payment", key: KISPG_KEY, body: { resultCd: "3011", resultMsg: "카드 승인 실패" }, expect: { order_id: "P1", amount: 1004 }, want: { status: "failed" } });
const kc = { resultCd: "2001", resultMsg: "취소 성공", payMethod: "card", tid: KTID, ordNo: "P1", amt: "1004", cancelYN: "Y" };
C({ name: "kispg cancel ok", source: "004 §3.3.2 (2001, cancelYN Y)", pg: "kispg", call: "cancel", body: kc, expect: { tid: KTID, order_id: "P1" }, want: { status: "cancelled", tid: KTID } });
C({ name: "kispg cancel refused", source: "004 §3.3.2 (실패시 전달되는 데이터만)", pg: "kispg", call: "cancel", body: { resultCd: "2013", resultMsg: "기취소 거래" }, expect: { tid: KTID }, want: { status: "failed" } });
C({ name: "kispg cancel for another tid", source: "tampered tid", pg: "kispg", call: "cancel", body: { ...kc, tid: "kistest00m01012401011230009999" }, expect: { tid: KTID }, want: { status: "rejected" } });
C({ name: "kispg partial_cancel ok", source: "004 §3.3.2 (cancelYN N: money remains)", pg: "kispg", call: "partial_cancel", body: { ...kc, amt: "300", cancelYN: "N" }, expect: { tid: KTID, amount: 300 }, want: { status: "partially_cancelled" } });
C({ name: "kispg partial_cancel refused", source: "not 2001", pg: "kispg", call: "partial_cancel", body: { resultCd: "2032", resultMsg: "취소금액이 취소가능금액보다 큼" }, expect: { tid: KTID, amount: 5000 }, want: { status: "failed" } });
C({ name: "kispg partial_cancel for another order", source: "tampered ordNo", pg: "kispg", call: "partial_cancel", body: { ...kc, ordNo: "P2", cancelYN: "N" }, expect: { tid: KTID, order_id: "P1", amount: 300 }, want: { status: "rejected" } });
C({ name: "kispg refund ok", source: "004 §3.3.1 refund fields (환불일 때 필수), §3.3.2", pg: "kispg", call: "refund", body: { ...kc, payMethod: "vacnt" }, expect: { tid: KTID }, want: { status: "cancelled" } });
C({ name: "kispg refund refused", source: "not 2001", pg: "kispg", call: "refund", body: { resultCd: "2099", resultMsg: "환불계좌 오류" }, expect: { tid: KTID }, want: { status: "failed" } });
C({ name: "kispg refund for another tid", source: "tampered tid", pg: "kispg", call: "refund", body: { ...kc, payMethod: "vacnt", tid: "kistest00m01012401011230009999" }, expect: { tid: KTID }, want: { status: "rejected" } });
const ko = { resultCd: "3001", resultMsg: "조회 성공", payMethod: "card", tid: KTID, ordNo: "P1", amt: "1004", cancelYN: "N" };
C({ name: "kispg order paid", source: "004 §3.4.2", pg: "kispg", call: "order", body: ko, expect: { tid: KTID, order_id: "P1", amount: 1004 }, want: { status: "paid", success: true } });
C({ name: "kispg order partially cancelled", source: "004 §3.4.2 (승인 + cancelData)", pg: "kispg", call: "order", body: { ...ko, trxStatus: "승인", cancelData: '[{"canAmt":"300"},{"canAmt":200}]' }, expect: { tid: KTID, order_id: "P1", amount: 1004 }, want: { status: "partially_cancelled", remaining: 504 } });
C({ name: "kispg order cancelled", source: "004 §3.4.2 (trxStatus 취소)", pg: "kispg", call: "order", body: { ...ko, trxStatus: "취소", cancelYN: "Y" }, expect: { tid: KTID, amount: 1004 }, want: { status: "cancelled" } });
C({ name: "kispg order vacnt waiting", source: "004 §3.4.2 (입금대기)", pg: "kispg", call: "order", body: { ...ko, resultCd: "4100", payMethod: "vacnt", trxStatus: "입금대기" }, expect: { tid: KTID, amount: 1004 }, want: { status: "pending" } });
C({ name: "kispg order vacnt deposited", source: "004 §3.4.2 (승인 of a virtual account)", pg: "kispg", call: "order", body: { ...ko, resultCd: "4100", payMethod: "vacnt", trxStatus: "승인" }, expect: { tid: KTID, amount: 1004 }, want: { status: "deposited", success: true } });
C({ name: "kispg order not found", source: "an error code", pg: "kispg", call: "order", body: { resultCd: "9999", resultMsg: "거래 없음" }, expect: { tid: KTID, amount: 1004 }, want: { status: "failed" } });
C({ name: "kispg order tampered amount", source: "amt differs from the order", pg: "kispg", call: "order", body: { ...ko, amt: "10" }, expect: { tid: KTID, amount: 1004 }, want: { status: "rejected" } });

// ---- SMARTRO PAY (crates/hanpay-pg/src/pg/smartropay/mod.rs sources S2/S4/S5) ----------------------------------------
// SignValue = base64(SHA-256(Tid[0..10] + ResultCode + Tid[10..15] + key + Tid[15..])) (S2).
const SPKEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const SPTID = "t_hanpay1m01012512021200000001";
const sha256b64 = (s) => createHash("sha256").update(s, "utf8").digest("base64");
const spSign = (tid, code) => sha256b64(tid.slice(0, 10) + code + tid.slice(10, 15) + SPKEY + tid.slice(15));
const spPaid = { Tid: SPTID, Mid: "t_hanpay1m", Moid: "P1", Amt: "1004", PayMethod: "CARD", ResultCode: "3001", ResultMsg: "카드 결제 성공", AppCardCode: "12", SignValue: spSign(SPTID, "3001") };
C({ name: "smartropay approve paid", source: "S5 answer, S2 SignValue, 3001", pg: "smartropay", call: "approve", key: SPKEY, body: spPaid, expect: { order_id: "P1", amount: 1004 }, want: { status: "paid", success: true, amount: 1004, tid: SPTID } });
C({ name: "smartropay approve without SignValue", source: "a signed answer without its signature is a forgery", pg: "smartropay", call: "approve", key: SPKEY, body: { ...spPaid, SignValue: "" }, expect: { order_id: "P1", amount: 1004 }, want: { status: "rejected", success: false } });
C({ name: "smartropay approve tampered amount", source: "Amt differs from the order", pg: "smartropay", call: "approve", key: SPKEY, body: { ...spPaid, Amt: "10" }, expect: { order_id: "P1", amount: 1004 }, want: { status: "rejected", success: false } });
C({ name: "smartropay cancel ok", source: "S4 (2001 취소 성공)", pg: "smartropay", call: "cancel", body: { ResultCode: "2001", ResultMsg: "취소 성공", Tid: SPTID, CancelAmt: "1004" }, expect: { tid: SPTID, amount: 1004 }, want: { status: "cancelled", amount: 1004, tid: SPTID } });
C({ name: "smartropay double cancel (2013 기취소)", source: "001 §7.6: this call moved nothing", pg: "smartropay", call: "cancel", body: { ResultCode: "2013", ResultMsg: "기취소", Tid: SPTID, CancelAmt: "1004" }, expect: { tid: SPTID, amount: 1004 }, want: { status: "failed" } });
C({ name: "smartropay partial_cancel ok", source: "S4 (PartialCancelCode=1, 2001)", pg: "smartropay", call: "partial_cancel", body: { ResultCode: "2001", Tid: SPTID, CancelAmt: "300" }, expect: { tid: SPTID, amount: 300 }, want: { status: "partially_cancelled", amount: 300 } });
C({ name: "smartropay partial_cancel tampered amount", source: "CancelAmt differs from the request", pg: "smartropay", call: "partial_cancel", body: { ResultCode: "2001", Tid: SPTID, CancelAmt: "30" }, expect: { tid: SPTID, amount: 300 }, want: { status: "rejected" } });
C({ name: "smartropay cancel for another tid", source: "tampered Tid", pg: "smartropay", call: "cancel", body: { ResultCode: "2001", Tid: "t_hanpay1m01012512021200009999", CancelAmt: "1004" }, expect: { tid: SPTID, amount: 1004 }, want: { status: "rejected" } });

// ---- calls a PG does not have ----------------------------------------------------------------
C({ name: "smartro has no order lookup", source: "Call::of", pg: "smartro", call: "order", body: { ResultCode: "2001" }, expect: {}, want: { status: "rejected" } });
C({ name: "kspay has no cancel", source: "manual 002 documents none", pg: "kspay", call: "cancel", body: { authyn: "O" }, expect: {}, want: { status: "rejected" } });

writeFileSync(new URL("./responses.json", import.meta.url), JSON.stringify({ source: "generated by tests/data/gen-responses.mjs", cases }, null, 1) + "\n");
console.log(`${cases.length} cases`);
