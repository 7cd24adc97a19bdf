package io.payegress.filters.error;

import java.util.Map;

/** The built-in clerk sentences for every code the gateway answers with no configuration. */
final class DefaultClerkMessages {

    static final Map<String, ClerkMessages.Sentence> SENTENCES = Map.ofEntries(
            s("VALIDATION_FAILED", "The request has invalid fields. Check the coupon details.", "请求内容有误，请检查券信息。"),
            s("UNSUPPORTED_MEDIA_TYPE", "The till sent the request in the wrong format.", "收银系统发送的请求格式不正确。"),
            s("PAYLOAD_TOO_LARGE", "The till sent a request that is too large.", "收银系统发送的请求过大。"),
            s("UNAUTHENTICATED", "This till is not signed in to the payment gateway.", "收银台未通过支付网关认证。"),
            s("FORBIDDEN", "This store may not use this coupon batch or app.", "本门店无权使用该券批次或应用。"),
            s("NOT_FOUND", "This payment function is not available.", "该支付功能不可用。"),
            s("METHOD_NOT_ALLOWED", "This payment function is not available.", "该支付功能不可用。"),
            s("REQUEST_IN_PROGRESS", "This redemption is still being processed. Try again shortly.", "该核销正在处理中，请稍后重试。"),
            s(
                    "IDEMPOTENCY_KEY_REUSED",
                    "This request number was already used for a different redemption.",
                    "该请求单号已用于其他核销。"),
            s("RATE_LIMITED", "Too many redemptions right now. Try again in a moment.", "当前核销请求过多，请稍后重试。"),
            s("SERVICE_UNAVAILABLE", "The payment gateway is busy. Try again in a moment.", "支付网关繁忙，请稍后重试。"),
            s(
                    "INTERNAL_ERROR",
                    "The payment gateway had a problem. Try again or call support.",
                    "支付网关出现故障，请重试或联系技术支持。"),
            s("UPSTREAM_PARAM_ERROR", "WeChat Pay rejected the coupon details.", "微信支付拒绝了券信息，请检查后重试。"),
            s("UPSTREAM_UNAVAILABLE", "WeChat Pay is unavailable. Try again in a moment.", "微信支付暂时不可用，请稍后重试。"),
            s("COUPON_ALREADY_USED", "This coupon has already been used.", "该券已被使用。"),
            s("COUPON_NOT_FOUND", "This coupon does not exist.", "该券不存在。"),
            s("MERCHANT_NOT_AUTHORIZED", "This merchant may not redeem this coupon.", "本商户无权核销该券。"),
            s("APPID_NOT_BOUND", "The app is not linked to this merchant.", "该应用未与本商户绑定。"),
            s("MERCHANT_NOT_FOUND", "The merchant account is not known to WeChat Pay.", "微信支付中不存在该商户。"),
            s("USER_NOT_FOUND", "This coupon does not belong to this customer.", "该券不属于此顾客。"),
            s("UPSTREAM_RATE_LIMITED", "WeChat Pay is busy. Try again in a moment.", "微信支付繁忙，请稍后重试。"),
            s("COUPON_NOT_IN_VALID_PERIOD", "This coupon cannot be used at this time.", "该券当前不在可用时间内。"),
            s("INVALID_COUPON_MODE", "This coupon batch cannot be redeemed this way.", "该券批次不支持此核销方式。"),
            s("CODE_UPLOAD_LIMIT_REACHED", "The coupon batch has reached its code limit.", "该券批次的券码数量已达上限。"),
            s("UPSTREAM_AUTH_FAILED", "The payment gateway is misconfigured. Call support.", "支付网关配置有误，请联系技术支持。"),
            s(
                    "UPSTREAM_OUTCOME_UNKNOWN",
                    "No answer from WeChat Pay. Try again; the coupon is not used twice.",
                    "微信支付未响应，请重试，券不会被重复核销。"),
            s("UPSTREAM_SIGNATURE_INVALID", "WeChat Pay's answer could not be checked. Try again.", "无法校验微信支付的应答，请重试。"),
            s("UPSTREAM_REJECTED", "WeChat Pay rejected the redemption.", "微信支付拒绝了本次核销。"));

    private DefaultClerkMessages() {}

    private static Map.Entry<String, ClerkMessages.Sentence> s(String code, String en, String zh) {
        return Map.entry(code, new ClerkMessages.Sentence(en, zh));
    }
}
