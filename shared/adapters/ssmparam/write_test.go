package ssmparam_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/dev/lambdatest"
)

func TestASecretIsStoredEncryptedReadBackAndDeletedOnce(t *testing.T) {
	fake := lambdatest.NewSSM(t)
	t.Setenv("AWS_ENDPOINT_URL_SSM", fake.URL)
	p := ssmparam.NewParams(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")})
	ctx := context.Background()
	const name = "/carecoach/prod/webhook-secrets/acme-zendesk"
	if _, err := p.Secret(ctx, name); !errors.Is(err, ssmparam.ErrNotFound) {
		t.Errorf("reading a missing parameter: %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first-secret", "second-secret"} { // a second put replaces the first
		if err := p.PutSecret(ctx, name, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if v, typ, ok := fake.Param(name); !ok || v != "second-secret" || typ != "SecureString" {
		t.Errorf("stored %q as %q (%v), want the second value as a SecureString", v, typ, ok)
	}
	if got, err := p.Secret(ctx, name); err != nil || string(got) != "second-secret" {
		t.Errorf("read back %q, %v", got, err)
	}
	if err := p.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := fake.Param(name); ok {
		t.Error("the parameter is still there after Delete")
	}
	if err := p.Delete(ctx, name); !errors.Is(err, ssmparam.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
}
