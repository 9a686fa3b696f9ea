(function () {
  var me = document.currentScript;
  var src = me && me.src ? me.src : location.href;
  var base = /\/pg\/kcp\//.test(src) ? src.replace(/\/pg\/kcp\/.*$/, "/pg/kcp") : new URL(src).origin;
  function kcp(base) {
    var block = document.getElementById("NAX_BLOCK");
    var frame = document.getElementById("naxIfr");
    window.KCP_Pay_Execute_Web = function (payform) {
      ["res_cd", "res_msg", "enc_data", "enc_info", "tran_cd"].forEach(function (n) {
        if (!payform.elements[n]) throw new Error("KCP: the order form lacks the hidden field " + n);
      });
      var holder = document.getElementById("kcp_event_form");
      holder.innerHTML = "";
      var form = document.createElement("form");
      form.name = "KCP_Form_Hidden";
      for (var i = 0; i < payform.elements.length; i++) {
        var el = payform.elements[i];
        if (!el.name) continue;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = el.name;
        input.value = el.value;
        form.appendChild(input);
      }
      holder.appendChild(form);
      var enc = payform.elements.ordr_enc_type ? payform.elements.ordr_enc_type.value : "";
      var utf8 = payform.elements.encoding_trans && payform.elements.encoding_trans.value === "UTF-8";
      form.acceptCharset = utf8 ? "UTF-8" : "EUC-KR";
      form.method = "post";
      form.action = base + "/kcpPaypop.do?encType=" + encodeURIComponent(enc);
      form.target = frame.name;
      block.style.display = "flex";
      form.submit();
    };
    window.KCP_Pay_Execute = function (payform) { window.KCP_Pay_Execute_Web(payform); };
    window.GetField = function (form, data) {
      for (var k in data) if (form.elements[k]) form.elements[k].value = data[k];
    };
    window.addEventListener("message", function (e) {
      if (e.source !== frame.contentWindow || !e.data || !e.data.kcp) return;
      m_Completepayment(e.data.kcp, function () { block.style.display = "none"; });
    });
  }
  document.write('<div id="kcp_event_form" style="display:none"></div><div id="NAX_BLOCK" style="display:none;position:fixed;inset:0;background:rgba(0,0,0,.4);align-items:center;justify-content:center">' +
    '<iframe id="naxIfr" name="naxIfr" title="KCP" style="width:760px;max-width:100vw;height:570px;max-height:100vh;border:0;background:#fff"></iframe></div>');
  document.write("<script>(" + kcp.toString() + ")(" + JSON.stringify(base) + ");<\/script>");
})();
