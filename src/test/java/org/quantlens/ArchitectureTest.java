package org.quantlens;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package rooms of ARCHITECTURE.md honest. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.quantlens");
    }

    @Test
    void onlyTheAppTouchesUiToolkits() {
        noClasses().that().resideOutsideOfPackages("org.quantlens.app..", "org.quantlens.data..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree..", "org.controlsfx..",
                        "atlantafx..", "java.awt..")
                .check(classes);
        // data decodes images: java.awt.image (BufferedImage, Raster, ColorModel) is allowed there, nothing else of AWT
        noClasses().that().resideInAPackage("org.quantlens.data..")
                .should().dependOnClassesThat(resideInAnyPackage("javafx..", "org.jfree..", "org.controlsfx..",
                        "atlantafx..", "java.awt..").and(not(resideInAPackage("java.awt.image"))))
                .check(classes);
    }

    @Test
    void imageDecodingOutsideTheAppUsesOnlyImageIoAndAwtImage() {
        noClasses().that().resideOutsideOfPackages("org.quantlens.app..", "org.quantlens.data..")
                .should().dependOnClassesThat().resideInAnyPackage("javax.imageio..")
                .check(classes);
    }

    @Test
    void onlyTheOnnxPackageTouchesProtobuf() {
        noClasses().that().resideOutsideOfPackage("org.quantlens.onnx..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.protobuf..")
                .check(classes);
    }

    @Test
    void nobodyImportsTheCliOrTheApp() {
        noClasses().that().resideOutsideOfPackages("org.quantlens.cli..", "org.quantlens.app..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.cli..", "org.quantlens.app..")
                .check(classes);
        noClasses().that().resideInAPackage("org.quantlens.app..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.cli..")
                .check(classes);
    }

    @Test
    void lowerLayersStayBelowTheirUsers() {
        noClasses().that().resideInAnyPackage("org.quantlens.tensor..", "org.quantlens.progress..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.ir..", "org.quantlens.onnx..",
                        "org.quantlens.exec..", "org.quantlens.data..", "org.quantlens.quant..", "org.quantlens.calib..",
                        "org.quantlens.runtime..", "org.quantlens.formats..")
                .check(classes);
        noClasses().that().resideInAnyPackage("org.quantlens.ir..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.onnx..", "org.quantlens.exec..",
                        "org.quantlens.data..", "org.quantlens.calib..", "org.quantlens.runtime..", "org.quantlens.formats..")
                .check(classes);
        noClasses().that().resideInAnyPackage("org.quantlens.exec..", "org.quantlens.quant..", "org.quantlens.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.onnx..", "org.quantlens.calib..",
                        "org.quantlens.runtime..", "org.quantlens.formats..")
                .check(classes);
        noClasses().that().resideInAnyPackage("org.quantlens.calib..")
                .should().dependOnClassesThat().resideInAnyPackage("org.quantlens.runtime..", "org.quantlens.formats..")
                .check(classes);
    }
}
