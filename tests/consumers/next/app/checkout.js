"use client";
// A client component: rendered once on the server (SSR imports hanpay there too), then run in
// the browser, where the shared checkout starts.
import { useEffect } from "react";
import { start } from "../../shared/checkout.js";

export default function Checkout() {
  useEffect(() => {
    start();
  }, []);
  return (
    <button id="pay" disabled>
      pay
    </button>
  );
}
