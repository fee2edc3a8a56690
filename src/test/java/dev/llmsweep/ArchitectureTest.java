package dev.llmsweep;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Boundaries that keep the engine usable alone and the Spark code free of tensors, checked on the
 * compiled classes (ArchUnit), so a fully-qualified name used inline counts like an import: the
 * engine side never depends on Spark, Hadoop or Parquet (so {@code submit generate} and the GPU kit
 * run on {@code target/classpath-engine.txt}, which has none of them), nor on the application's
 * packages; the Spark side never touches an NDArray or PyTorch.
 */
class ArchitectureTest {
  /** The engine: weights, model, tokenizer, engine, metrics and any package under them. */
  private static final String[] ENGINE = {
    "dev.llmsweep.weights..",
    "dev.llmsweep.model..",
    "dev.llmsweep.tokenizer..",
    "dev.llmsweep.engine..",
    "dev.llmsweep.metrics.."
  };

  /** The application around it. */
  private static final String[] APP = {
    "dev.llmsweep.spark..",
    "dev.llmsweep.store..",
    "dev.llmsweep.analysis..",
    "dev.llmsweep.compare..",
    "dev.llmsweep.report..",
    "dev.llmsweep.cli..",
    "dev.llmsweep.job..",
    "dev.llmsweep.bench..",
    "dev.llmsweep.probe.."
  };

  private static final String[] CLUSTER = {
    "org.apache.spark..", "org.apache.hadoop..", "org.apache.parquet.."
  };

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.llmsweep");

  @Test
  void engineSideNeverDependsOnSparkOrTheApplication() {
    noClasses()
        .that()
        .resideInAnyPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CLUSTER)
        .because("the engine runs without Spark on the classpath (submit generate, the GPU kit)")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAnyPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(APP)
        .because("the engine is a library the application uses, never the other way round")
        .check(MAIN);
  }

  @Test
  void sparkFreeApplicationClassesStaySparkFree() {
    // job files are read (and planned) before Spark starts; generate and bench-engine run on the
    // engine classpath
    noClasses()
        .that()
        .resideInAPackage("dev.llmsweep.job..")
        .or()
        .resideInAPackage("dev.llmsweep.probe..")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.bench.EngineBenchmark")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.bench.CopyBandwidth")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.bench.DeviceMemory")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.cli.GenerateCommand")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.cli.BenchEngineCommand")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.cli.ModelOptions")
        .or()
        .haveFullyQualifiedName("dev.llmsweep.job.RunIds")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CLUSTER)
        .check(MAIN);
  }

  @Test
  void theStoreIsHadoopAndParquetOnly() {
    // its records travel between driver and executors as plain values; Spark's API stays in spark/
    noClasses()
        .that()
        .resideInAPackage("dev.llmsweep.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.spark..")
        .check(MAIN);
  }

  @Test
  void sparkSideNeverTouchesTensors() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.llmsweep.spark..",
            "dev.llmsweep.store..",
            "dev.llmsweep.analysis..",
            "dev.llmsweep.report..",
            "dev.llmsweep.compare..",
            "dev.llmsweep.job..",
            "dev.llmsweep.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("ai.djl.ndarray..", "ai.djl.pytorch..", "ai.djl.engine..")
        .because("tensors and the native engine stay behind the engine's Generator interface")
        .check(MAIN);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices()
        .matching("dev.llmsweep.(**)")
        .should()
        .beFreeOfCycles()
        .because("a cycle makes two packages one: neither can be read, tested or moved alone")
        .check(MAIN);
  }

  @Test
  void theTwoBackendsStayApart() {
    noClasses()
        .that()
        .resideInAPackage("dev.llmsweep.model.cpu..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.llmsweep.model.torchscript..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.llmsweep.model.torchscript..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.llmsweep.model.cpu..")
        .check(MAIN);
  }

  @Test
  void importsRunDownTheLayersOnly() {
    // the application's layers, lowest first: a layer may use those below it, never one above
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("errors")
        .definedBy("dev.llmsweep.errors..")
        .layer("engine")
        .definedBy(ENGINE)
        .layer("probe")
        .definedBy("dev.llmsweep.probe..")
        .layer("job")
        .definedBy("dev.llmsweep.job..")
        .layer("store")
        .definedBy("dev.llmsweep.store..")
        .layer("spark")
        .definedBy("dev.llmsweep.spark..")
        .layer("analysis")
        .definedBy("dev.llmsweep.analysis..")
        .layer("compare")
        .definedBy("dev.llmsweep.compare..")
        .layer("report")
        .definedBy("dev.llmsweep.report..")
        .layer("bench")
        .definedBy("dev.llmsweep.bench..")
        .layer("cli")
        .definedBy("dev.llmsweep.cli..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("bench")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("report")
        .mayOnlyBeAccessedByLayers("bench", "cli")
        .whereLayer("compare")
        .mayOnlyBeAccessedByLayers("report", "bench", "cli")
        .whereLayer("analysis")
        .mayOnlyBeAccessedByLayers("compare", "report", "bench", "cli")
        .whereLayer("spark")
        .mayOnlyBeAccessedByLayers("analysis", "compare", "report", "bench", "cli")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("spark", "analysis", "compare", "report", "bench", "cli")
        .whereLayer("probe")
        .mayOnlyBeAccessedByLayers("spark", "analysis", "compare", "report", "bench", "cli")
        .whereLayer("job")
        .mayOnlyBeAccessedByLayers(
            "store", "spark", "analysis", "compare", "report", "bench", "cli")
        .check(MAIN);
  }

  @Test
  void theRulesSeeTheClassesTheyGuard() {
    // a rule over no classes, or one that misses inline names, would pass whatever the code does
    assertTrue(
        MAIN.contain("dev.llmsweep.engine.LlamaGenerator")
            && MAIN.contain("dev.llmsweep.spark.SweepJob"));
    assertTrue(
        MAIN.get("dev.llmsweep.spark.SweepJob").getDirectDependenciesFromSelf().stream()
            .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.apache.spark")));
  }
}
