package io.elanus.quota;

import io.elanus.common.Config;
import io.elanus.common.Params;

/**
 * Milvus's {@code quotaAndLimits.limitWriting.memProtection.*} settings and its quota center's
 * memory rule (rootcoord {@code getMemoryFactor}): per node kind, a water level at or below the
 * low mark leaves writes alone, one at or above the high mark denies them (factor 0), and in
 * between the factor falls linearly from 1 to 0. Milvus multiplies the configured DML rate limits
 * by that factor; Elanus has no DML rate limits (Milvus's default is unlimited too), so between the
 * marks writes go on and only the early flush reacts. In standalone the data node and the query
 * node share one JVM, so both kinds are judged on the same level and the smaller factor wins.
 */
public record MemoryProtection(boolean quotaEnabled, boolean enabled, double dataNodeLow, double dataNodeHigh,
                               double queryNodeLow, double queryNodeHigh) {

    public MemoryProtection {
        checkOrder("dataNode", dataNodeLow, dataNodeHigh);
        checkOrder("queryNode", queryNodeLow, queryNodeHigh);
    }

    private static void checkOrder(String node, double low, double high) {
        if (low > high) {
            throw new IllegalArgumentException("bad configuration: quotaAndLimits.limitWriting.memProtection." + node
                    + "MemoryLowWaterLevel (" + low + ") is above " + node + "MemoryHighWaterLevel (" + high + ")");
        }
    }

    /** @throws IllegalArgumentException when a low water level is above its high water level */
    public static MemoryProtection from(Config config) {
        return new MemoryProtection(config.getBool(Params.QUOTA_AND_LIMITS_ENABLED),
                config.getBool(Params.MEM_PROTECTION_ENABLED),
                config.getDouble(Params.DATANODE_MEMORY_LOW_WATER_LEVEL),
                config.getDouble(Params.DATANODE_MEMORY_HIGH_WATER_LEVEL),
                config.getDouble(Params.QUERYNODE_MEMORY_LOW_WATER_LEVEL),
                config.getDouble(Params.QUERYNODE_MEMORY_HIGH_WATER_LEVEL));
    }

    /** One node's factor: 1 at or below {@code low}, 0 at or above {@code high}, linear in between. */
    static double factor(double level, double low, double high) {
        if (level <= low) {
            return 1;
        }
        if (level >= high) {
            return 0;
        }
        return (high - level) / (high - low);
    }

    /** The write factor at memory water level {@code level}: 1 = no limit, 0 = writes denied. */
    public double writeFactor(double level) {
        if (!enabled) {
            return 1;
        }
        return Math.min(factor(level, dataNodeLow, dataNodeHigh), factor(level, queryNodeLow, queryNodeHigh));
    }

    /** Whether writes are refused at {@code level}: both switches on and a high water level reached. */
    public boolean deniesWrites(double level) {
        return quotaEnabled && writeFactor(level) <= 0;
    }

    /** Whether memory is under pressure (above a low water level): growing segments are flushed early then. */
    public boolean underPressure(double level) {
        return enabled && writeFactor(level) < 1;
    }
}
