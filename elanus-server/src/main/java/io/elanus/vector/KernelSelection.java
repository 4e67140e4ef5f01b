package io.elanus.vector;

import org.slf4j.LoggerFactory;

/** Chooses the kernels once: SIMD unless disabled by property or the Vector API module is absent. */
final class KernelSelection {
    static final VectorKernels SELECTED = select();

    private KernelSelection() {
    }

    private static VectorKernels select() {
        if (!Boolean.parseBoolean(System.getProperty(VectorKernels.SIMD_PROPERTY, "true"))) {
            return ScalarKernels.INSTANCE;
        }
        try {
            return new SimdKernels();
        } catch (LinkageError e) {
            // Started without --add-modules jdk.incubator.vector.
            LoggerFactory.getLogger(KernelSelection.class)
                    .warn("Vector API unavailable ({}); using scalar distance kernels", e.toString());
            return ScalarKernels.INSTANCE;
        }
    }
}
