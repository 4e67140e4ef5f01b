package io.elanus.quota;

import io.elanus.common.Config;
import io.elanus.common.Params;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryProtectionTest {
    private static final double EPS = 1e-9;

    @Test
    void factorIsOneUpToLowZeroFromHighAndLinearBetween() {
        assertEquals(1, MemoryProtection.factor(0.0, 0.6, 0.8), EPS);
        assertEquals(1, MemoryProtection.factor(0.6, 0.6, 0.8), EPS);
        assertEquals(0.75, MemoryProtection.factor(0.65, 0.6, 0.8), EPS);
        assertEquals(0.5, MemoryProtection.factor(0.7, 0.6, 0.8), EPS);
        assertEquals(0, MemoryProtection.factor(0.8, 0.6, 0.8), EPS);
        assertEquals(0, MemoryProtection.factor(1.5, 0.6, 0.8), EPS);
        // Equal marks: a step at the mark.
        assertEquals(1, MemoryProtection.factor(0.7, 0.7, 0.7), EPS);
        assertEquals(0, MemoryProtection.factor(0.70001, 0.7, 0.7), EPS);
    }

    @Test
    void theSmallerFactorOfDataNodeAndQueryNodeWins() {
        MemoryProtection p = new MemoryProtection(true, true, 0.5, 0.9, 0.7, 0.8);
        // 0.75: data node (0.9-0.75)/0.4 = 0.375, query node (0.8-0.75)/0.1 = 0.5
        assertEquals(0.375, p.writeFactor(0.75), EPS);
        // 0.8 reaches the query node's high mark although the data node's is 0.9
        assertEquals(0, p.writeFactor(0.8), EPS);
        assertTrue(p.deniesWrites(0.8));
        assertFalse(p.deniesWrites(0.79));
        assertFalse(p.underPressure(0.5));
        assertTrue(p.underPressure(0.51));
    }

    @Test
    void switchesTurnDenialOff() {
        assertFalse(new MemoryProtection(false, true, 0.5, 0.6, 0.5, 0.6).deniesWrites(0.99),
                "quotaAndLimits.enabled=false never denies");
        MemoryProtection memOff = new MemoryProtection(true, false, 0.5, 0.6, 0.5, 0.6);
        assertFalse(memOff.deniesWrites(0.99));
        assertFalse(memOff.underPressure(0.99));
        assertEquals(1, memOff.writeFactor(0.99), EPS);
    }

    @Test
    void defaultsAreRelativeToTheHeap() {
        MemoryProtection p = MemoryProtection.from(Config.defaults());
        assertEquals(new MemoryProtection(true, true, 0.6, 0.75, 0.6, 0.75), p);
    }

    @Test
    void milvusKeysAndTheirEnvironmentVariablesAreRead() {
        Config cfg = Config.load(null, Map.of(
                "QUOTAANDLIMITS_LIMITWRITING_MEMPROTECTION_DATANODEMEMORYHIGHWATERLEVEL", "0.9",
                "QUOTAANDLIMITS_ENABLED", "false"),
                Map.of("quotaAndLimits.limitWriting.memProtection.queryNodeMemoryLowWaterLevel", "0.3"));
        MemoryProtection p = MemoryProtection.from(cfg);
        assertEquals(0.9, p.dataNodeHigh(), EPS);
        assertEquals(0.3, p.queryNodeLow(), EPS);
        assertFalse(p.quotaEnabled());
        assertEquals("QUOTAANDLIMITS_LIMITWRITING_MEMPROTECTION_ENABLED", Params.MEM_PROTECTION_ENABLED.envName());
    }

    @Test
    void levelsOutsideZeroToOneAreRefusedWithTheKeyNamed() {
        for (String bad : new String[] {"0", "1.5", "-0.2", "high"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.load(null, Map.of(),
                    Map.of(Params.DATANODE_MEMORY_LOW_WATER_LEVEL.key(), bad)));
            assertTrue(e.getMessage().contains("dataNodeMemoryLowWaterLevel") && e.getMessage().contains("(0, 1]"), e.getMessage());
        }
        assertEquals(1.0, Config.load(null, Map.of(), Map.of(Params.DATANODE_MEMORY_HIGH_WATER_LEVEL.key(), "1"))
                .getDouble(Params.DATANODE_MEMORY_HIGH_WATER_LEVEL), EPS);
    }

    @Test
    void aLowLevelAboveItsHighLevelIsRefused() {
        Config cfg = Config.load(null, Map.of(), Map.of(Params.QUERYNODE_MEMORY_LOW_WATER_LEVEL.key(), "0.9"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryProtection.from(cfg));
        assertTrue(e.getMessage().contains("queryNodeMemoryLowWaterLevel (0.9) is above queryNodeMemoryHighWaterLevel (0.75)"),
                e.getMessage());
    }
}
