package io.elanus;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of ARCHITECTURE.md, enforced on the server's main classes: assembly on top, then the roles
 * (which never see each other), rpc adapters, the role API, sessions, the engine, and the storage SPIs at
 * the bottom. Only the assembly names concrete storage backends.
 */
class LayersTest {
    private static final List<String> ROLES =
            List.of("proxy", "rootcoord", "datacoord", "datanode", "querycoord", "querynode", "indexnode");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.elanus");
        // Guards against a vacuous pass: the rules below must see the server's classes.
        assertTrue(classes.contain("io.elanus.proxy.Proxy") && classes.contain("io.elanus.server.Standalone"));
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.elanus.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noTopLevelCycles() {
        slices().matching("io.elanus.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersOnlyLookDown() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Assembly").definedBy("io.elanus.server..")
                .layer("Roles").definedBy(ROLES.stream().map(r -> "io.elanus." + r + "..").toArray(String[]::new))
                .layer("Rpc").definedBy("io.elanus.rpc..")
                .layer("RoleApi").definedBy("io.elanus.api..")
                .layer("Session").definedBy("io.elanus.session..")
                .layer("Engine").definedBy("io.elanus.segment..", "io.elanus.expr..", "io.elanus.vector..",
                        "io.elanus.msgstream..", "io.elanus.quota..")
                .layer("Storage").definedBy("io.elanus.storage..")
                .layer("Common").definedBy("io.elanus.common..")
                .whereLayer("Assembly").mayNotBeAccessedByAnyLayer()
                .whereLayer("Roles").mayOnlyBeAccessedByLayers("Assembly")
                .whereLayer("Rpc").mayOnlyBeAccessedByLayers("Assembly")
                .whereLayer("RoleApi").mayOnlyBeAccessedByLayers("Assembly", "Roles", "Rpc")
                .whereLayer("Session").mayOnlyBeAccessedByLayers("Assembly", "Roles", "Rpc")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Assembly", "Roles", "Rpc", "RoleApi")
                .whereLayer("Storage").mayOnlyBeAccessedByLayers("Assembly", "Roles", "Rpc", "RoleApi", "Session", "Engine");
        layers.check(classes);
    }

    @Test
    void noRoleImportsAnotherRole() {
        for (String role : ROLES) {
            String[] others = ROLES.stream().filter(r -> !r.equals(role)).map(r -> "io.elanus." + r + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("io.elanus." + role + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("roles see each other only through the role API (io.elanus.api)")
                    .check(classes);
        }
    }

    @Test
    void onlyTheAssemblyNamesConcreteBackends() {
        noClasses().that().resideOutsideOfPackages("io.elanus.server..", "io.elanus.storage..")
                .should().dependOnClassesThat(describe("are concrete meta store, WAL or object store backends",
                        LayersTest::isConcreteBackend))
                .check(classes);
    }

    private static boolean isConcreteBackend(JavaClass c) {
        boolean backend = c.isAssignableTo(MetaKv.class) || c.isAssignableTo(Wal.class) || c.isAssignableTo(ObjectStore.class);
        return backend && !c.isInterface()
                || c.getPackageName().matches("io\\.elanus\\.storage\\.(kv\\.etcd|wal\\.kafka|object\\.s3)(\\..*)?");
    }
}
