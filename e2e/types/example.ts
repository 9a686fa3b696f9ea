// Compile-time test of the package's TypeScript surface (`make test-types`): the README's usage
// must type-check, and misuse must not (each @ts-expect-error fails the build if it compiles).
import init, {
  open,
  pay,
  relayResult,
  classifyUrl,
  currentEnvironment,
  HanpayError,
  type CheckoutForm,
  type PaymentResult,
  type PaymentStatus,
  type PgNextStep,
  type UrlDecision,
  type HanpayErrorCode,
} from "hanpay";
import wasmUrl from "hanpay/hanpay_bg.wasm";

export async function checkout(button: HTMLButtonElement): Promise<void> {
  await init();
  const env = currentEnvironment();
  const mode: "popup" | "iframe" | "redirect" = env.mode;
  button.onclick = () => {
    const form: Promise<CheckoutForm> = fetch("/api/checkout").then((r) => r.json());
    open(form, { mode: "auto", onPopupBlocked: "iframe", onFallback: (info) => info.to, timeoutMs: 60_000 })
      .then((result: PaymentResult) => {
        // Resolved whatever the server's verdict: the status says which (issue #12).
        const status: PaymentStatus = result.status;
        return status === "paid" || status === "pending" ? result.tid : result.code;
      })
      .catch((e: unknown) => {
        if (e instanceof HanpayError) {
          const code: HanpayErrorCode = e.code;
          if (code === "NOT_INITIALIZED") return [code];
          return [code, e.pgCode, e.field];
        }
        return null;
      });
    pay("kcp", form, { sandbox: "http://127.0.0.1:8080", scriptTimeoutMs: 5_000 }).then((next: PgNextStep) => {
      if (next.pg === "kcp") {
        // The browser step only authenticates: never a success by itself.
        const s: "authenticated" = next.status;
        const paid: false = next.success;
        return [s, paid, next.enc_data];
      }
      if (next.pg === "xpay") return next.LGD_PAYKEY;
      return next.next;
    });
    // Options are optional, as at run time (issue 16).
    const bare: Promise<PaymentResult> = open(form);
    const bareNext: Promise<PgNextStep> = pay("smartro", form);
    void bare, bareNext;
    // @ts-expect-error: not a window mode
    open(form, { mode: "sideways" });
    // @ts-expect-error: not a PG with an adapter
    pay("paypal", form);
    // @ts-expect-error: the form is required
    open();
    // @ts-expect-error: options are an object, not a mode string
    open(form, "popup");
    // @ts-expect-error: not one of the eight statuses
    const wrong: PaymentStatus = "success";
    return void wrong;
  };
  return void mode;
}

export function returnPage(result: PaymentResult, orderId: string): boolean {
  // @ts-expect-error: a relayed result carries its status
  relayResult({ success: true }, { targetOrigin: location.origin, requestId: orderId });
  // @ts-expect-error: the request id is required
  relayResult(result, { targetOrigin: location.origin });
  return relayResult(result, { targetOrigin: location.origin, requestId: orderId });
}

// esbuild (README "Bundlers"): the wasm's URL from the package's exports, handed to init().
export async function esbuildInit(): Promise<void> {
  await init({ module_or_path: wasmUrl });
  // @ts-expect-error: the import is a URL string, not the module's exports
  wasmUrl.memory;
}

export function webview(url: string): string | null {
  const d: UrlDecision = classifyUrl(url, "android");
  // @ts-expect-error: platform is "android" | "ios"
  classifyUrl(url, "windows");
  return d.action === "launch" ? d.launch_url : null;
}
