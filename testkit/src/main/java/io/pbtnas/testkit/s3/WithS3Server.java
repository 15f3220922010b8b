package io.pbtnas.testkit.s3;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a real S3 server (versitygw, {@link VersityGateway}) started once per
 * test class on a temporary folder and stopped after it. Test methods, constructors and lifecycle
 * methods may declare parameters of type {@link S3Endpoint} or {@link VersityGateway}. Buckets are
 * the tests' own: create them through the S3 API (a folder made on disk is not a bucket).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(S3ServerExtension.class)
public @interface WithS3Server {
}
