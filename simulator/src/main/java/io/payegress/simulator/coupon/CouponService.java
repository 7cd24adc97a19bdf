package io.payegress.simulator.coupon;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * WeChat's merchant-coupon rules for coupons/use, coupons/return and the user-coupon query over a {@link CouponBook}:
 * every refusal of the busifavor error table in the situation that causes it, and resends by request number answered
 * as the {@link ResendBehaviour} says (the original bytes by default). Plain Java; the caller's mchid comes from the
 * verified Authorization.
 */
public final class CouponService {

    private static final DateTimeFormatter WECHAT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final CouponBook book;
    private final Clock clock;
    private final JsonMapper mapper;
    private volatile ResendBehaviour resend = ResendBehaviour.REPLAY;

    public CouponService(CouponBook book, Clock clock, JsonMapper mapper) {
        this.book = book;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** What a resent use_request_no of a redeemed coupon gets from now on. */
    public void resend(ResendBehaviour behaviour) {
        this.resend = behaviour;
    }

    public ResendBehaviour resend() {
        return resend;
    }

    /** Redeems a coupon (POST /v3/marketing/busifavor/coupons/use) for the caller. */
    public CouponOutcome use(String mchid, byte[] body) {
        try {
            UseCouponRequest request = UseCouponRequest.parse(mapper, body);
            Coupon coupon = findCoupon(mchid, request.couponCode());
            Stock stock = resolveStock(request.stockId(), coupon);
            checkUsable(mchid, request, coupon, stock);
            return redeem(request);
        } catch (Refusal refusal) {
            return CouponOutcome.error(refusal.error(), mapper);
        }
    }

    /** Returns a used coupon (POST /v3/marketing/busifavor/coupons/return) so it can be redeemed again. */
    public CouponOutcome giveBack(String mchid, byte[] body) {
        try {
            ReturnCouponRequest request = ReturnCouponRequest.parse(mapper, body);
            Coupon coupon = findCoupon(mchid, request.couponCode());
            Stock stock = resolveStock(request.stockId(), coupon);
            checkOwner(mchid, stock);
            return returnCoupon(request);
        } catch (Refusal refusal) {
            return CouponOutcome.error(refusal.error(), mapper);
        }
    }

    /**
     * Answers GET /v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid} for the caller: the
     * coupon's state, and once it is used the use_request_no and use_time of its redemption.
     */
    public CouponOutcome query(String mchid, String openid, String code, String appid) {
        try {
            Coupon coupon = findCoupon(mchid, code);
            Stock stock =
                    book.stock(coupon.stockId()).orElseThrow(() -> Refusal.of(404, "RESOURCE_NOT_EXISTS", "批次不存在"));
            checkOwner(mchid, stock);
            if (!book.isBound(appid, mchid)) {
                throw Refusal.of(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
            }
            if (!appid.equals(coupon.appid()) || !openid.equals(coupon.openid())) {
                throw Refusal.of(404, "USER_NOT_EXISTS", "用户不存在或openid与券不匹配");
            }
            return new CouponOutcome(200, queryBody(coupon, stock), false, false);
        } catch (Refusal refusal) {
            return CouponOutcome.error(refusal.error(), mapper);
        }
    }

    /** What a successful redemption of the request would answer, without touching state (for BEFORE-phase fakes). */
    public byte[] syntheticSuccess(byte[] body) {
        ObjectNode root = mapper.createObjectNode();
        try {
            UseCouponRequest request = UseCouponRequest.parse(mapper, body);
            root.put("stock_id", request.stockId() == null ? CouponSeed.DEMO_STOCK : request.stockId());
            root.put("openid", request.openid() == null ? CouponSeed.DEMO_OPENID : request.openid());
        } catch (Refusal refusal) {
            root.put("stock_id", CouponSeed.DEMO_STOCK);
        }
        root.put("wechatpay_use_time", now());
        return mapper.writeValueAsBytes(root);
    }

    private Coupon findCoupon(String mchid, String code) {
        if (!book.isRegistered(mchid)) {
            throw Refusal.of(400, "MCH_NOT_EXISTS", "商户号不存在");
        }
        return book.coupon(code).orElseThrow(() -> Refusal.of(404, "RESOURCE_NOT_EXISTS", "券不存在"));
    }

    private Stock resolveStock(@Nullable String stockId, Coupon coupon) {
        String id = stockId == null ? coupon.stockId() : stockId;
        Stock stock = book.stock(id).orElseThrow(() -> Refusal.of(404, "RESOURCE_NOT_EXISTS", "批次不存在"));
        if (!coupon.stockId().equals(id)) {
            throw Refusal.of(404, "RESOURCE_NOT_EXISTS", "券不存在");
        }
        if (stockId == null && stock.codeMode().requiresStockId()) {
            throw new Refusal(ApiError.param("/stock_id", "商户自定义code的批次必须填写stock_id"));
        }
        return stock;
    }

    private void checkUsable(String mchid, UseCouponRequest request, Coupon coupon, Stock stock) {
        checkOwner(mchid, stock);
        if (!book.isBound(request.appid(), mchid)) {
            throw Refusal.of(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }
        if (stock.issueModeInvalid()) {
            throw Refusal.of(400, "INVALID_REQUEST", "发券模式不合法");
        }
        if (stock.uploadLimitReached()) {
            throw Refusal.of(400, "INVALID_REQUEST", "自定义code上传数量已达上限");
        }
        if (request.openid() != null && !request.openid().equals(coupon.openid())) {
            throw Refusal.of(404, "USER_NOT_EXISTS", "用户不存在或openid与券不匹配");
        }
        if (!stock.covers(request.useTime())) {
            throw Refusal.of(403, "RULELIMIT", "当前时间不在券的可核销时间范围内");
        }
    }

    private void checkOwner(String mchid, Stock stock) {
        if (!stock.ownerMchid().equals(mchid)) {
            throw Refusal.of(403, "NO_AUTH", "商户无权限操作该券");
        }
    }

    private CouponOutcome redeem(UseCouponRequest request) {
        while (true) {
            Coupon current = book.coupon(request.couponCode()).orElseThrow();
            if (current.state() == CouponState.USED) {
                boolean resent = request.useRequestNo().equals(current.useRequestNo());
                if (resent && resend == ResendBehaviour.REPLAY) {
                    return new CouponOutcome(200, useBody(current), false, true);
                }
                Refusal used = Refusal.of(400, "RESOURCE_ALREADY_EXISTS", "券已被其他订单核销");
                if (resent) {
                    return new CouponOutcome(400, used.error().toJson(mapper), false, true);
                }
                throw used;
            }
            Coupon used = current.used(request.useRequestNo(), now());
            if (book.replace(current, used)) {
                return new CouponOutcome(200, useBody(used), true, false);
            }
        }
    }

    private CouponOutcome returnCoupon(ReturnCouponRequest request) {
        while (true) {
            Coupon current = book.coupon(request.couponCode()).orElseThrow();
            if (current.state() == CouponState.SENDED) {
                if (request.returnRequestNo().equals(current.returnRequestNo())) {
                    return new CouponOutcome(200, returnBody(current), false, true);
                }
                throw Refusal.of(400, "INVALID_REQUEST", "券未核销，不能退券");
            }
            Coupon returned = current.returned(request.returnRequestNo(), now());
            if (book.replace(current, returned)) {
                return new CouponOutcome(200, returnBody(returned), true, false);
            }
        }
    }

    private byte[] useBody(Coupon coupon) {
        ObjectNode root = mapper.createObjectNode();
        root.put("stock_id", coupon.stockId());
        if (coupon.openid() != null) {
            root.put("openid", coupon.openid());
        }
        root.put("wechatpay_use_time", coupon.wechatpayUseTime());
        return mapper.writeValueAsBytes(root);
    }

    /** The fields of WeChat's CouponEntity the gateway and tests need; states SENDED, USED or EXPIRED. */
    private byte[] queryBody(Coupon coupon, Stock stock) {
        ObjectNode root = mapper.createObjectNode();
        root.put("belong_merchant", stock.ownerMchid());
        root.put("stock_id", coupon.stockId());
        root.put("coupon_code", coupon.code());
        root.put("coupon_state", state(coupon, stock));
        if (coupon.state() == CouponState.USED) {
            root.put("use_request_no", coupon.useRequestNo());
            root.put("use_time", coupon.wechatpayUseTime());
        }
        return mapper.writeValueAsBytes(root);
    }

    private String state(Coupon coupon, Stock stock) {
        if (coupon.state() == CouponState.USED) {
            return "USED";
        }
        boolean expired = OffsetDateTime.ofInstant(clock.instant(), CHINA).isAfter(stock.validEnd());
        return expired ? "EXPIRED" : "SENDED";
    }

    private byte[] returnBody(Coupon coupon) {
        ObjectNode root = mapper.createObjectNode();
        root.put("wechatpay_return_time", coupon.wechatpayReturnTime());
        return mapper.writeValueAsBytes(root);
    }

    private String now() {
        return OffsetDateTime.ofInstant(clock.instant(), CHINA).format(WECHAT_TIME);
    }
}
