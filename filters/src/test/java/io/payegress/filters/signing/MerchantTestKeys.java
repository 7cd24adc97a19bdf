package io.payegress.filters.signing;

/**
 * Fixed merchant test material made once with openssl (RSA-2048, PKCS#8 keys, self-signed certificates with
 * 40-hex-digit serials like WeChat Pay's); the JDK cannot create certificates without internal APIs.
 */
final class MerchantTestKeys {

    static final String SERIAL_A = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    static final String SERIAL_B = "3775B6A45ACD588826D15E583A95F5DD0A8E0B37";

    static final String KEY_A = """
            -----BEGIN PRIVATE KEY-----
            MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDPVpIgwQkssNhp
            KqODD0ykjGmzzCxEBouurGL4um22DPlMeg60Asj9U4O0TgzBXZU38jdvjuJomWpu
            Ws3QowSEdtH9/DgRjQzyDj3JWn6a2/TGP++iD3LdbKHLNETYLtYvnzyxWwUGAmLy
            0RfMMDGUd5+HTzN0tuiSt/nAfEkR54igJXSkDhLFtlvgSMHJRES+Brs91UG7YEqU
            y90JFMz02/3bP+yml3l1cjHC7gP4mONvi6ugYszFviERVW9Xd7jvDnnkpSHwDIjz
            GzM/aPUnrRjrGg0PQK0myk47xcL1c4D5G2JIe/WgD+H2k2oV+xMq6RU/bb84RXBn
            Vah47MGXAgMBAAECggEAMD4zeB2SVey8HhRGwYsAyVTGj4hVUGq5e6YuzTMLrg1s
            wGeyHh57x73z6jMy8pckzkS0s2dqtO3lftHwC7iyp2PCTreuEB9iwLuhksVUqhG9
            7ZcY2fuAPZc2OkLqNecH/UKu65GDJLfPcDJIuEEKeEIxQ1mhXmnkyaa3HRuOIPT0
            cvEn2AIYL8DmaYhHJw1UmPXJWepp4Jlvn1L2eDFFamRthRu9bQvlgdN+wvIKnKfo
            2LtCuKj8x2RzTBGGGl9oAHrVV8norS5nH5wY1R6fx04JT/f5GNS8MFmcgiP3M4e2
            BPoHKJydf3B8uR8dUp5Idxxhxk01bYuE5InWPPLByQKBgQDpm2eGcorxgYWAh7BD
            3QulNB0cZx6cnUabJszfZJBFZhA3qcwBRdY2mj1YXox4lxEyOd6HvI1mu89qK6tS
            amr+n8WYvDg0Bseq23wBWcl8KVPvCIZrn/Z+aPuVdHuFmjRLrbTr1DWUmxj7jSfE
            mN8pFd0paK8yozzcHu+56ps+GwKBgQDjNoquKUmCo6VYiyqRxwLKPhMmEinl4qpk
            3Ij90yAgjWe8biur+SrqWsuLifBmntBxY0VMhKrZt+tYY4s4YEYenq2GxxnwQpAf
            ezRZRydKBZ7frpzyY8JeELoKlyrsoag9y2QcMPV50Hf66p+hocfWuBPHqoId78pO
            JEIX3/ESNQKBgQDowVBK40GRE24C/C8hztJVjjEbJZuYjBPXbrdeNYKRwvmRnHqJ
            Ih4nVVKeA8aOOGaH1qTkNXflzmcA7/XJLgLhJCvq3E5beA3lLL7HUcCxFzRry+Cy
            xzUACnXxGZghK93DMZY8CrpAELC5opDnDzH6a7BqG8XD/GUdJS3R3fFD1QKBgQCq
            ZLDDw3q5WfgZ2uPlxxU0jjDWEDETkVSvpyOlFru1LdZp3UUrBwVEEysqThvXGarA
            He5OX/+wntkDxEMX2Ds9o0oHFTFCmOh0c3TirxWr0WM/5DcXH/EXkfuzDYLHSsRc
            8zb0XVL6M3iG14U3NZgkUo+i4SALS1SwHUjjlrG3MQKBgQCnZ/qyAOF8WsvmPfbV
            9zkxrQXf9LiH/jctsIs7SUdisKO8QGlG+iVxSBWykFmN8wRw7KMXmlMxivE638O9
            ySR6hN+E+NO+wvaNheu8XMllWb+4QjZE4vF4ba8HdG3NlqEeTU97RJI2h5XUMX2m
            4nT6rDff2++ddibE6dQRKhhTFQ==
            -----END PRIVATE KEY-----
""";

    static final String CERT_A = """
            -----BEGIN CERTIFICATE-----
            MIIDPzCCAiegAwIBAgIUUVfwnv3Alt4V6+gaRwV6cjLxuOEwDQYJKoZIhvcNAQEL
            BQAwLjETMBEGA1UEAwwKMTkwMDAwMDAwMTEXMBUGA1UECgwOcGF5ZWdyZXNzIHRl
            c3QwIBcNMjYxMTI3MDYzODMyWhgPMjEyNjExMDMwNjM4MzJaMC4xEzARBgNVBAMM
            CjE5MDAwMDAwMDExFzAVBgNVBAoMDnBheWVncmVzcyB0ZXN0MIIBIjANBgkqhkiG
            9w0BAQEFAAOCAQ8AMIIBCgKCAQEAz1aSIMEJLLDYaSqjgw9MpIxps8wsRAaLrqxi
            +Lpttgz5THoOtALI/VODtE4MwV2VN/I3b47iaJlqblrN0KMEhHbR/fw4EY0M8g49
            yVp+mtv0xj/vog9y3WyhyzRE2C7WL588sVsFBgJi8tEXzDAxlHefh08zdLbokrf5
            wHxJEeeIoCV0pA4SxbZb4EjByUREvga7PdVBu2BKlMvdCRTM9Nv92z/sppd5dXIx
            wu4D+Jjjb4uroGLMxb4hEVVvV3e47w555KUh8AyI8xszP2j1J60Y6xoND0CtJspO
            O8XC9XOA+RtiSHv1oA/h9pNqFfsTKukVP22/OEVwZ1WoeOzBlwIDAQABo1MwUTAd
            BgNVHQ4EFgQUW7j+AN2iJI64tk+pFmaeueVL3h0wHwYDVR0jBBgwFoAUW7j+AN2i
            JI64tk+pFmaeueVL3h0wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC
            AQEAVOZdsF08Bag+uW2GTVtvO0DKz+6TmjNWjILTSUBNLmEDGTrWJofPFUze+Gq+
            HYpFTd2yl2Fqqp+OHMqSq9c9CVo0i1JQaRdrTE7WAO23oHyatdUGD08Y/AdHZ2Cb
            r0vr1/x8RAagYrbdv1cMWU3bOR+GTPYx96txH67s/GL/Pzy35m3CZKpwfnt/J5JL
            UTJOn5I8hmAYzJZmYlwFB1UtUlTIWPlRMCu1F/8OI2G2PngFVqXfgrylZtzmOY5K
            thfAptRCambdKxpW0rJizceQd42xsV4ruugSH5srddILNhX81Xt3Atxvnd+3tyyA
            gHnE4s0bwSLdRNXrmybb2qF0Aw==
            -----END CERTIFICATE-----
""";

    static final String KEY_B = """
            -----BEGIN PRIVATE KEY-----
            MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCouS36eAamY4n3
            ounwyss/BU+UmKebllu2Tgxl7do9uIjTMse13JrM5DLQK7BWJTIJwsCs5d4jKaBK
            TCx9FnEpe4ZxS7kPWpp3iFe9j5bEmLUlpJDnbU5zJIYQhPUVaJPhOw41hbQNufAG
            gCnEkjT+PR4Odj/z8vf08l4UrKMoyp3M+bp7WrqgfXmASl5pYZzDurcHkFNJxwhb
            AQWYA3hytqDhoqTiv21JQUj+DMNzrgr+W1pcCrZUHp8aqCxFexZOcwF24pd7Mky7
            DCjvXLrOqLuMljspaTg73AhYxLyKGkWz/9fQrLKrBP7n+2UpWjVEKaL68pzLODBg
            6EwmndRfAgMBAAECggEAPj46YQlAYseb0ThPl14oxrH93rLGOlaotMNsPXoWpeha
            yZcVJ9kfXnDc8gD8B3unTwSCsgYHAe/MSzx4uRi7XHNOcKNfvPNOwsQQokTDePlg
            8mcYcdfYNhAGSTfTdjdjPpbbshEGEH5EtxE212acmCIR4YHsK+G5aaqz3Gqnslca
            USqjggjHI0oQROpB61PgRK6k2ajcP2L2tfK/OuA9Ixsre+FmaCoXg0upUzrI3lu/
            mJ/dlwc42OoNDcYDB5a0jx9hvCEMUkWNFuUXvtxva2e37SVe7XyozWlCCinCUjr1
            0rinhQQ5EBYkMljv7OyB8K0NglNlchRKIJqQmHzUQQKBgQDtpC42H3+BgyiRbzie
            6UM2jJyHjKOMDox3LyOn9UrRE0OTkyRLQP0qr5rXWPMFIVd8gmaSQP+jrJ/IyeSf
            k/4752aNkFJjtVLVmc8Bg3wv5vmi8VJYYuse2PXxDLijfRXUm7ukLLt39XufmRwr
            tFKGfwidbAYww79/kGck/xK8PwKBgQC1wgMcSYOO905TOSml8aw8zt0c77WaJzbR
            VBX7IlRxgU71ua7VCSanY4T/pkOextkoFADUReWvmMHaRFJT+Xt0MV19Fgt1hkzq
            ZydAAjDNEGqwvp4GjkAcTtqeadXF+RYwCr1f9QLbxMgw+leKH1UDM46sz7oDH4Va
            OOPTZfVf4QKBgGFDDCLcu2v/iXAUzGDF6dt+q2YTGrDtF3KEWZyZmXh+4O6aj4U5
            YSTCYKZ44mYcIll0aZS8g6Syt2cPssHZaXmNGP0hr4bdpLyFyiK9dOuKJmwZRvGj
            8sVaWTbCVSOcw32UC7WDFWtgjqtgmBYPJKOlhJohp1r4Ev2b1Ytf1oQzAoGAfmvD
            3hkD+JzrTdeksFe4hVMdWNMibWZ5KoBiCZuHQKvAUAonIOaMjEEccPUkc3u777R6
            Hyu+5rRJoZeD7ATLabYsYKTEs6oGNcQp+MuNRhT1IJp1L/ohfY8bYLQcjOcEF8Zg
            ki3JHzNwSyDVYq0IZIGn62tQ5ns2Ndr8HD3+vgECgYAWDQP75jxX6t2gAaZlBJnI
            3Q6ev1cAd7nlBdJr69X0uUwUYWvaR6MArMTrnhf+gCpythOHU7Ai66o3sLFqG/A8
            TcbNednKjy9s7mf8E/GZU7iwA8Z456TCNldy4V3uSjS1c8Qp5/fC/lnwHVjT5SdC
            iiyABJhXdeJbUGMdbMYNvw==
            -----END PRIVATE KEY-----
""";

    static final String CERT_B = """
            -----BEGIN CERTIFICATE-----
            MIIDPzCCAiegAwIBAgIUN3W2pFrNWIgm0V5YOpX13QqOCzcwDQYJKoZIhvcNAQEL
            BQAwLjETMBEGA1UEAwwKMTkwMDAwMDAwMTEXMBUGA1UECgwOcGF5ZWdyZXNzIHRl
            c3QwIBcNMjYxMTI3MDYzODMyWhgPMjEyNjExMDMwNjM4MzJaMC4xEzARBgNVBAMM
            CjE5MDAwMDAwMDExFzAVBgNVBAoMDnBheWVncmVzcyB0ZXN0MIIBIjANBgkqhkiG
            9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqLkt+ngGpmOJ96Lp8MrLPwVPlJinm5Zbtk4M
            Ze3aPbiI0zLHtdyazOQy0CuwViUyCcLArOXeIymgSkwsfRZxKXuGcUu5D1qad4hX
            vY+WxJi1JaSQ521OcySGEIT1FWiT4TsONYW0DbnwBoApxJI0/j0eDnY/8/L39PJe
            FKyjKMqdzPm6e1q6oH15gEpeaWGcw7q3B5BTSccIWwEFmAN4crag4aKk4r9tSUFI
            /gzDc64K/ltaXAq2VB6fGqgsRXsWTnMBduKXezJMuwwo71y6zqi7jJY7KWk4O9wI
            WMS8ihpFs//X0KyyqwT+5/tlKVo1RCmi+vKcyzgwYOhMJp3UXwIDAQABo1MwUTAd
            BgNVHQ4EFgQUvgSbQ2TRSXlFx1TtyFhbWJ3Lzl0wHwYDVR0jBBgwFoAUvgSbQ2TR
            SXlFx1TtyFhbWJ3Lzl0wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC
            AQEAOC7E+og5ecgRT7tSILsrri0GagCdsBN/mNAW8c+IY7ZYEgImht/CsKIKIr+d
            +DDKdcT27mnRnagLjw3HqHR0Bbppy3YdSH/kNMgGoC5QZytOWrtnf02PV+R4bD15
            vE4Ar8DtSUjS+DYpiqFqR1+ry5vMk9vTxvx3tgcu0Jwz1mQ11RSiAXJ/+gdHFiz/
            9iZo9yYJ2pC0CjI8Gg8v6QJn6TJGto/lhVWr8K9NxZJN/VuDRqq51mn+DxkCuBqy
            qHIOjOW8mbbBnPKwtitc6lPeHiGFmgRbTXy7bdId0CS08wUZ8ZAKxIfihpnABbqB
            vK/EvUtipnvX8DT1dmKIorp14A==
            -----END CERTIFICATE-----
""";

    private MerchantTestKeys() {}
}
