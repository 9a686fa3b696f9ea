// Exposes the hanpay C ABI (ffi/include/hanpay.h, shipped inside Hanpay.xcframework) to Swift.
#include "hanpay.h"
