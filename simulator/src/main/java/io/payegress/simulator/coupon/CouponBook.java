package io.payegress.simulator.coupon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulator's coupon state in concurrent maps: stocks, coupons, appid-merchant bindings, registered merchants
 * and code generators. Coupons change only through {@link #replace}, a compare-and-set on the whole value.
 */
public final class CouponBook {

    private final Map<String, Stock> stocks = new ConcurrentHashMap<>();
    private final Map<String, Coupon> coupons = new ConcurrentHashMap<>();
    private final Set<Binding> bindings = ConcurrentHashMap.newKeySet();
    private final Set<String> merchants = ConcurrentHashMap.newKeySet();
    private final List<CodeGenerator> generators = new CopyOnWriteArrayList<>();
    private final CouponSeed seed;

    /** A book holding the seed; {@link #reset()} returns to it. */
    public CouponBook(CouponSeed seed) {
        this.seed = seed;
        reset();
    }

    /** Drops everything and loads the seed again. */
    public synchronized void reset() {
        stocks.clear();
        coupons.clear();
        bindings.clear();
        merchants.clear();
        generators.clear();
        seed.stocks().forEach(this::putStock);
        seed.coupons().forEach(this::putCoupon);
        bindings.addAll(seed.bindings());
        merchants.addAll(seed.merchants());
        generators.addAll(seed.generators());
    }

    public void putStock(Stock stock) {
        stocks.put(stock.stockId(), stock);
    }

    /** Adds or overwrites a coupon, keyed by its code. */
    public void putCoupon(Coupon coupon) {
        coupons.put(coupon.code(), coupon);
    }

    public void bind(String appid, String mchid) {
        bindings.add(new Binding(appid, mchid));
    }

    public void registerMerchant(String mchid) {
        merchants.add(mchid);
    }

    public void addGenerator(CodeGenerator generator) {
        generators.add(generator);
    }

    public Optional<Stock> stock(String stockId) {
        return Optional.ofNullable(stocks.get(stockId));
    }

    /** The coupon with this code, created on the spot when a generator covers the code. */
    public Optional<Coupon> coupon(String code) {
        Coupon coupon = coupons.get(code);
        if (coupon != null) {
            return Optional.of(coupon);
        }
        for (CodeGenerator generator : generators) {
            if (generator.matches(code)) {
                return Optional.of(coupons.computeIfAbsent(code, generator::create));
            }
        }
        return Optional.empty();
    }

    /** Atomically swaps {@code expected} for {@code updated}; false when another call changed the coupon first. */
    public boolean replace(Coupon expected, Coupon updated) {
        return coupons.replace(expected.code(), expected, updated);
    }

    public boolean isBound(String appid, String mchid) {
        return bindings.contains(new Binding(appid, mchid));
    }

    public boolean isRegistered(String mchid) {
        return merchants.contains(mchid);
    }

    public int couponCount() {
        return coupons.size();
    }
}
