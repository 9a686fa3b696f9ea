(function () {
  var me = document.currentScript;
  var src = me && me.src ? me.src : location.href;
  var base = /\/pg\/xpay\//.test(src) ? src.replace(/\/pg\/xpay\/.*$/, "/pg/xpay") : new URL(src).origin;
  function payForm() {
    if (typeof window.getFormObject !== "function") throw new Error("XPay: getFormObject() is not defined");
    var f = window.getFormObject();
    if (!f || f.tagName !== "FORM") throw new Error("XPay: getFormObject() must return the payment form");
    return f;
  }
  function openXpay(frm, platform, type) {
    var f = payForm();
    if (platform !== "test" && platform !== "service") throw new Error("XPay: CST_PLATFORM must be test or service");
    f.method = "post";
    if (type === "submit") {
      f.action = base + "/mobile";
      f.target = "_self";
      f.submit();
      return null;
    }
    // Stricter than XPay (whose script is not public): the page's globals must exist, the
    // samples' "수정불가" `var LGD_window_type` included.
    if (typeof window.payment_return !== "function") throw new Error("XPay: payment_return() is not defined");
    if (window.LGD_window_type !== type) throw new Error("XPay: var LGD_window_type must be " + type);
    var top = document.createElement("div");
    // The ids merchant code shows for XPay's layer (vendor-scripts.md §1.3, Sandbox).
    top.id = "LGD_PAYMENTWINDOW";
    top.style.cssText = "position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center";
    var ifr = document.createElement("iframe");
    ifr.name = ifr.id = "LGD_PAYMENTWINDOW_IFRAME";
    ifr.style.cssText = "width:650px;max-width:100vw;height:650px;max-height:100vh;border:0;background:#fff";
    top.appendChild(ifr);
    document.body.appendChild(top);
    f.action = base + "/window";
    f.target = ifr.name;
    f.submit();
    return ifr;
  }
  window.openXpay = openXpay;
  window.open_paymentwindow = function (frm, platform, type) { return openXpay(frm, platform, type); };
  window.closeIframe = function () {
    var top = document.getElementById("LGD_PAYMENTWINDOW");
    if (top) top.parentNode.removeChild(top);
  };
})();
