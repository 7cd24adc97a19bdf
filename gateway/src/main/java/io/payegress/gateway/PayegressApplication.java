package io.payegress.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The payegress gateway: the single egress point from POS services to WeChat Pay API v3. */
@SpringBootApplication(scanBasePackages = "io.payegress")
public class PayegressApplication {

    public static void main(String[] args) {
        SpringApplication.run(PayegressApplication.class, args);
    }
}
