package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/adapters/helpdeskapi"
	"github.com/carecoach/carecoach/shared/adapters/ssmparam"
	"github.com/carecoach/carecoach/shared/adapters/teamconfig"
	"github.com/carecoach/carecoach/shared/adapters/zendesk"
	"github.com/carecoach/carecoach/shared/core/care"
)

const connectUsage = `usage:
  admin connect zendesk   -team-file F -table T -stage S -webhook-url U -subdomain D -email E -token-param P [-connection ID]
  admin connect freshdesk -team-file F -table T -stage S -webhook-url U -subdomain D [-token-param P] [-connection ID]
  admin disconnect zendesk|freshdesk -team-file F -table T -stage S [-connection ID] [-subdomain D ...]
(details: infra/admin/README.md)`

// connection is what connect and disconnect were asked to do, checked.
type connection struct {
	kind       care.Source
	id         string
	teamFile   string
	table      string
	endpoint   string // DynamoDB endpoint override
	stage      string
	webhookURL string // "" when not given (disconnect)
	apiURL     string // the help desk account's API root
	baseURL    string // the account's agent URL, for ticket links: https://<subdomain>.<kind>.com
	email      string
	tokenParam string
}

// secretParam is where the stack reads the connection's webhook secret
// (template.yaml: CARECOACH_SECRETS_PATH).
func (c connection) secretParam() string {
	return "/carecoach/" + c.stage + "/webhook-secrets/" + c.id
}

// webhookName names carecoach's webhook in the help desk: connect finds it
// again by this name.
func (c connection) webhookName() string { return "carecoach " + c.id }

var (
	subdomainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	stagePattern     = regexp.MustCompile(`^[a-z0-9-]{1,16}$`) // template.yaml's Stage
	idPattern        = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	emailPattern     = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// parseConnect reads the flags of connect and disconnect. Every problem
// names its flag; nothing is called before they are all fine.
func parseConnect(args []string, disconnect bool) (connection, error) {
	name := "connect"
	if disconnect {
		name = "disconnect"
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return connection{}, fmt.Errorf("%s: say which help desk, zendesk or freshdesk\n%s", name, connectUsage)
	}
	kind := care.Source(strings.ToLower(args[0]))
	if kind != care.Zendesk && kind != care.Freshdesk {
		return connection{}, fmt.Errorf("%s: %q is not a help desk carecoach connects: zendesk or freshdesk", name, args[0])
	}
	fs := flag.NewFlagSet(name+" "+string(kind), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c connection
	var subdomain, apiURL string
	c.kind = kind
	fs.StringVar(&c.teamFile, "team-file", "", "the team's YAML file: the connection is registered there and the team stored from it")
	fs.StringVar(&c.table, "table", os.Getenv("CARECOACH_TABLE"), "the deployed table (stack output TableName)")
	fs.StringVar(&c.endpoint, "endpoint", "", "DynamoDB endpoint override (e.g. a DynamoDB Local URL)")
	fs.StringVar(&c.stage, "stage", "", "the stack's Stage parameter: the webhook secret goes to /carecoach/<stage>/webhook-secrets/<connection>")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "the stack output ZendeskWebhookUrl or FreshdeskWebhookUrl (its <connection> is filled in)")
	fs.StringVar(&c.id, "connection", "", "the connection id (default <subdomain>-<kind>)")
	fs.StringVar(&subdomain, "subdomain", "", "the help desk account: acme for acme.zendesk.com or acme.freshdesk.com")
	fs.StringVar(&apiURL, "api-url", "", "the account's API root (default https://<subdomain>.<kind>.com)")
	fs.StringVar(&c.email, "email", "", "zendesk: the agent the API token acts as")
	fs.StringVar(&c.tokenParam, "token-param", "", "the SSM SecureString parameter holding the API token (zendesk) or API key (freshdesk)")
	if err := fs.Parse(args[1:]); err != nil {
		return connection{}, fmt.Errorf("%s %s: %w\n%s", name, kind, err, connectUsage)
	}
	if fs.NArg() > 0 {
		return connection{}, fmt.Errorf("%s %s: unexpected %q (flags only)\n%s", name, kind, fs.Arg(0), connectUsage)
	}
	var problems []string
	bad := func(flag, format string, a ...any) {
		problems = append(problems, "-"+flag+": "+fmt.Sprintf(format, a...))
	}
	if c.teamFile == "" {
		bad("team-file", "required: the team file the connection is registered in")
	}
	if c.table == "" {
		bad("table", "required: the stack's TableName output (make run has no help desk to connect)")
	}
	if !stagePattern.MatchString(c.stage) {
		bad("stage", "%q is not a stage name like prod (the stack's Stage parameter)", c.stage)
	}
	subdomain = strings.ToLower(subdomain)
	if subdomain != "" && !subdomainPattern.MatchString(subdomain) {
		bad("subdomain", "%q is not a subdomain like acme (the part before .%s.com)", subdomain, kind)
	}
	if c.id == "" && subdomain != "" {
		c.id = subdomain + "-" + string(kind)
	}
	if !idPattern.MatchString(c.id) {
		if c.id == "" {
			bad("connection", "give -connection or -subdomain to name the connection")
		} else {
			bad("connection", "%q must be lower-case letters, digits and dashes", c.id)
		}
	}
	switch {
	case apiURL != "":
		if err := checkAPIURL(apiURL); err != nil {
			bad("api-url", "%v", err)
		}
		c.apiURL = strings.TrimSuffix(apiURL, "/")
	case subdomain != "":
		c.apiURL = "https://" + subdomain + "." + string(kind) + ".com"
	}
	if subdomain != "" {
		c.baseURL = "https://" + subdomain + "." + string(kind) + ".com"
	} else if !disconnect {
		bad("subdomain", "required: the help desk account, acme for acme.%s.com", kind)
	}
	if c.email != "" && !emailPattern.MatchString(c.email) {
		bad("email", "%q is not an email address", c.email)
	}
	if c.tokenParam != "" && !strings.HasPrefix(c.tokenParam, "/") {
		bad("token-param", "%q must name an SSM parameter, such as /carecoach/%s/helpdesk-tokens/%s (the token itself never goes on the command line)", c.tokenParam, c.stage, c.id)
	}
	if !disconnect && kind == care.Zendesk {
		if c.email == "" {
			bad("email", "required: the Zendesk agent the API token acts as")
		}
		if c.tokenParam == "" {
			bad("token-param", "required: the SSM parameter holding a Zendesk API token (store it first: aws ssm put-parameter --type SecureString --name /carecoach/%s/helpdesk-tokens/%s --value …)", c.stage, c.id)
		}
	}
	if c.webhookURL != "" || !disconnect {
		u, err := webhookURL(c.webhookURL, kind, c.id)
		if err != nil {
			bad("webhook-url", "%v", err)
		}
		c.webhookURL = u
	}
	if len(problems) > 0 {
		return connection{}, fmt.Errorf("%s %s:\n  %s", name, kind, strings.Join(problems, "\n  "))
	}
	return c, nil
}

// webhookURL is the connection's webhook URL from the stack output: an
// https URL whose path ends in /webhooks/<kind>/<connection> (the output's
// <connection> is filled in), or the API's root, which gets that path.
func webhookURL(raw string, kind care.Source, id string) (string, error) {
	if raw == "" {
		return "", fmt.Errorf("required: the stack output %s", map[care.Source]string{care.Zendesk: "ZendeskWebhookUrl", care.Freshdesk: "FreshdeskWebhookUrl"}[kind])
	}
	u, err := url.Parse(strings.ReplaceAll(raw, "<connection>", id))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not an https URL without credentials or query (the help desk calls it)", raw)
	}
	want := "/webhooks/" + string(kind) + "/" + id
	switch {
	case strings.HasSuffix(u.Path, want):
	case !strings.Contains(u.Path, "/webhooks/"):
		u.Path = strings.TrimSuffix(u.Path, "/") + want
	default:
		return "", fmt.Errorf("%q is not this connection's URL: its path must end in %s", raw, want)
	}
	return u.String(), nil
}

// checkAPIURL allows https, and http only to this machine (a test's fake).
func checkAPIURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return fmt.Errorf("%q is not an absolute URL without credentials", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme == "http" && (u.Hostname() == "localhost" || ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("%q must be https (http only to localhost): the API token is sent there", raw)
}

// connector holds what connect and disconnect work with.
type connector struct {
	c      connection
	out    io.Writer
	params ssmparam.Params
	store  *dynamo.Store
	file   []byte // the team file as read
}

func newConnector(ctx context.Context, c connection, out io.Writer) (*connector, error) {
	file, err := os.ReadFile(c.teamFile)
	if err != nil {
		return nil, fmt.Errorf("-team-file: %w", err)
	}
	if _, err := teamconfig.Parse(file); err != nil {
		return nil, fmt.Errorf("-team-file %s: %w", c.teamFile, err)
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("aws config: %w", err)
	}
	return &connector{c: c, out: out, params: ssmparam.NewParams(cfg), store: dynamo.New(dynamo.NewClient(cfg, c.endpoint), c.table, time.Now), file: file}, nil
}

func (a *connector) say(format string, args ...any) { fmt.Fprintf(a.out, format+"\n", args...) }

// runConnect is `admin connect <kind>`.
func runConnect(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseConnect(args, false)
	if err != nil {
		return err
	}
	a, err := newConnector(ctx, c, out)
	if err != nil {
		return err
	}
	// The registration is worked out first, so a team file that cannot
	// take it stops connect before anything changes anywhere.
	conn := care.Connection{ID: c.id, Kind: c.kind, BaseURL: c.baseURL}
	if c.tokenParam != "" {
		conn.API = &care.ConnectionAPI{Email: c.email, TokenParam: c.tokenParam}
	}
	edited, team, err := teamconfig.SetConnection(a.file, conn)
	if err != nil {
		return fmt.Errorf("-team-file %s: %w", c.teamFile, err)
	}
	var secret care.Secret
	switch c.kind {
	case care.Zendesk:
		secret, err = a.zendeskWebhook(ctx)
	default:
		secret, err = a.freshdeskSecret(ctx)
	}
	if err != nil {
		return err
	}
	if err := a.params.PutSecret(ctx, c.secretParam(), secret); err != nil {
		return err
	}
	a.say("webhook secret stored in SSM as %s (SecureString)", c.secretParam())
	if err := a.register(ctx, edited, team); err != nil {
		return err
	}
	if c.kind == care.Freshdesk {
		return printRules(out, c.webhookURL, secret)
	}
	return nil
}

// register writes the team file and stores the team from it, as put-team
// does: the file and the table say the same.
func (a *connector) register(ctx context.Context, edited []byte, team care.Team) error {
	if err := writeFile(a.c.teamFile, edited); err != nil {
		return err
	}
	if err := a.store.PutTeam(ctx, team); err != nil {
		return err
	}
	a.say("connection %s registered in %s and team %s stored (%d connections, %d members)", a.c.id, a.c.teamFile, team.ID, len(team.Connections), len(team.Members))
	return nil
}

// zendeskAPI reaches the account's API with the token from SSM.
func (a *connector) zendeskAPI(ctx context.Context) (zendesk.WebhooksAPI, error) {
	if a.c.email == "" || a.c.tokenParam == "" {
		return zendesk.WebhooksAPI{}, fmt.Errorf("the team file has no api for connection %s: give -email and -token-param", a.c.id)
	}
	token, err := a.params.Secret(ctx, a.c.tokenParam)
	if errors.Is(err, ssmparam.ErrNotFound) {
		return zendesk.WebhooksAPI{}, fmt.Errorf("-token-param %s: no such SSM parameter; store a Zendesk API token there first (aws ssm put-parameter --type SecureString --name %s --value …)", a.c.tokenParam, a.c.tokenParam)
	}
	if err != nil {
		return zendesk.WebhooksAPI{}, fmt.Errorf("-token-param: %w", err)
	}
	return zendesk.WebhooksAPI{Client: &helpdeskapi.Client{BaseURL: a.c.apiURL, User: a.c.email + "/token", Password: token}}, nil
}

// zendeskWebhook makes (or finds and repairs) the event webhook and reads
// its signing secret.
func (a *connector) zendeskWebhook(ctx context.Context) (care.Secret, error) {
	api, err := a.zendeskAPI(ctx)
	if err != nil {
		return nil, err
	}
	hook, did, err := api.Ensure(ctx, zendesk.Webhook{Name: a.c.webhookName(), Endpoint: a.c.webhookURL, Subscriptions: zendesk.Subscriptions()})
	if err != nil {
		return nil, err
	}
	a.say("Zendesk webhook %q (%s) %s: POST %s, %d ticket events", hook.Name, hook.ID, did, hook.Endpoint, len(zendesk.Subscriptions()))
	return api.SigningSecret(ctx, hook.ID)
}

// freshdeskSecret is the connection's shared secret: the one already
// stored, so rules pasted before keep working, or a new random one.
func (a *connector) freshdeskSecret(ctx context.Context) (care.Secret, error) {
	if a.c.tokenParam != "" {
		if _, err := a.params.Secret(ctx, a.c.tokenParam); err != nil {
			return nil, fmt.Errorf("-token-param: %w (store the Freshdesk API key there first)", err)
		}
	}
	secret, err := a.params.Secret(ctx, a.c.secretParam())
	if err == nil {
		a.say("reusing the secret already in %s: rules made with it keep working", a.c.secretParam())
		return secret, nil
	}
	if !errors.Is(err, ssmparam.ErrNotFound) {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("make a secret: %w", err)
	}
	return care.Secret(hex.EncodeToString(b)), nil
}

// runDisconnect is `admin disconnect <kind>`: it removes what connect made
// and says what was already gone.
func runDisconnect(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseConnect(args, true)
	if err != nil {
		return err
	}
	a, err := newConnector(ctx, c, out)
	if err != nil {
		return err
	}
	old, _ := teamconfig.Parse(a.file)
	for _, conn := range old.Connections {
		if conn.ID != c.id {
			continue
		}
		if conn.Kind != c.kind {
			return fmt.Errorf("-connection %s is a %s connection in %s, not %s", c.id, conn.Kind, c.teamFile, c.kind)
		}
		// What the file knows fills the flags left out.
		if a.c.apiURL == "" {
			a.c.apiURL = conn.BaseURL
		}
		if conn.API != nil && a.c.email == "" {
			a.c.email = conn.API.Email
		}
		if conn.API != nil && a.c.tokenParam == "" {
			a.c.tokenParam = conn.API.TokenParam
		}
	}
	edited, team, found, err := teamconfig.RemoveConnection(a.file, c.id)
	if err != nil {
		return fmt.Errorf("-team-file %s: %w", c.teamFile, err)
	}
	if c.kind == care.Zendesk {
		if err := a.deleteZendeskWebhook(ctx); err != nil {
			return err
		}
	}
	switch err := a.params.Delete(ctx, c.secretParam()); {
	case errors.Is(err, ssmparam.ErrNotFound):
		a.say("no webhook secret in %s: already gone", c.secretParam())
	case err != nil:
		return err
	default:
		a.say("webhook secret %s deleted", c.secretParam())
	}
	var ids []string
	for _, m := range old.Members {
		if id, ok := m.HelpdeskIDs[c.id]; ok {
			ids = append(ids, id)
		}
	}
	if found {
		if err := writeFile(c.teamFile, edited); err != nil {
			return err
		}
	}
	if err := a.store.RemoveConnection(ctx, team, c.id, ids); err != nil {
		return err
	}
	if found {
		a.say("connection %s removed from %s (and %d members' ids there) and from team %s in the table", c.id, c.teamFile, len(ids), team.ID)
	} else {
		a.say("connection %s was not in %s; removed from the table if it was there", c.id, c.teamFile)
	}
	if c.kind == care.Freshdesk {
		a.say("in Freshdesk, delete the automation rules whose names start with \"carecoach:\" (Admin → Workflows → Automations); carecoach now answers them 404")
	}
	return nil
}

func (a *connector) deleteZendeskWebhook(ctx context.Context) error {
	if a.c.apiURL == "" {
		return fmt.Errorf("-subdomain: required, the team file does not know connection %s's Zendesk account", a.c.id)
	}
	api, err := a.zendeskAPI(ctx)
	if err != nil {
		return err
	}
	hook, found, err := api.Find(ctx, a.c.webhookName(), a.c.webhookURL)
	if err != nil {
		return err
	}
	if !found {
		a.say("no Zendesk webhook %q: already gone", a.c.webhookName())
		return nil
	}
	switch err := api.Delete(ctx, hook.ID); {
	case errors.Is(err, zendesk.ErrGone):
		a.say("Zendesk webhook %q (%s): already gone", hook.Name, hook.ID)
	case err != nil:
		return err
	default:
		a.say("Zendesk webhook %q (%s) deleted", hook.Name, hook.ID)
	}
	return nil
}

// writeFile replaces a file by renaming a complete copy over it, so an
// interrupted write never leaves half a team file.
func writeFile(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".team-*.yaml")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
