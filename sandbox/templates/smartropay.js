(function () {
  var BASE = {{base}};
  var ORIGIN = new URL(BASE).origin;
  var mode = null;
  function fail(m) { throw new Error("smartropay: " + m); }
  window.smartropay = {
    init: function (o) {
      if (!o || (o.mode !== "STG" && o.mode !== "REAL")) fail("init({mode: 'STG' | 'REAL'})");
      mode = o.mode;
    },
    payment: function (o) {
      if (!mode) fail("call init first");
      var src = o && document.getElementById(o.FormId);
      if (!src) fail("no form with id " + (o && o.FormId));
      var pc = typeof o.Callback === "function";
      var post = document.createElement("form");
      post.method = "post";
      post.acceptCharset = "UTF-8";
      post.action = BASE + "/sandbox/payment";
      var add = function (k, v) {
        var i = document.createElement("input");
        i.type = "hidden"; i.name = k; i.value = v; post.appendChild(i);
      };
      var els = src.elements;
      for (var n = 0; n < els.length; n++) if (els[n].name) add(els[n].name, els[n].value);
      add("_mode", mode);
      add("_pc", pc ? "1" : "0");
      if (!pc) { document.body.appendChild(post); post.submit(); return; }
      var layer = document.createElement("div");
      layer.id = "smartropay-layer";
      layer.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.4)";
      var frame = document.createElement("iframe");
      frame.name = "smartropay_frame";
      frame.style.cssText = "width:100%;height:100%;border:0;background:#fff";
      layer.appendChild(frame);
      document.body.appendChild(layer);
      post.target = "smartropay_frame";
      document.body.appendChild(post);
      post.submit();
      post.remove();
      window.addEventListener("message", function on(e) {
        if (e.origin !== ORIGIN || e.source !== frame.contentWindow) return;
        if (!e.data || e.data.smartropay !== 1) return;
        window.removeEventListener("message", on);
        layer.remove();
        o.Callback(e.data.res);
      });
    }
  };
})();
