// A server component that imports the package: the import must not throw on the server (it
// touches no window); calling it there is not the point — checkout.js runs in the browser.
import * as hanpay from "hanpay";
import Checkout from "./checkout.js";

export default function Page() {
  return (
    <main>
      <p id="server-import">{typeof hanpay.default === "function" ? "imported" : "missing"}</p>
      <Checkout />
    </main>
  );
}
