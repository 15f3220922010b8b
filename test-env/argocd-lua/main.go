// argocd-lua runs an Argo CD resource health script the way Argo CD's application controller runs a
// health customization from argocd-cm: gopher-lua (Lua 5.1) with only the package, base and table
// libraries and an os library reduced to time and date (custom scripts get no string, math or io
// unless useOpenLibs is set), the object as the global table `obj`, a one-second limit, and the
// returned table read as {status, message}.
//
// Usage: argocd-lua SCRIPT.lua OBJECT.json   (OBJECT.json: the whole resource, as the API server returns it)
// Prints {"status": "...", "message": "..."} on stdout; exits 1, with the Lua error on stderr, when
// the script fails or returns something other than a table or nil (Argo CD then shows the error).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// The statuses Argo CD accepts from a script; anything else becomes Unknown.
var validStatus = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

type health struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: argocd-lua SCRIPT.lua OBJECT.json")
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	raw, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err.Error())
	}
	var object map[string]any
	if err := json.Unmarshal(raw, &object); err != nil {
		fail(fmt.Sprintf("%s is not a JSON object: %v", os.Args[2], err))
	}
	h, err := run(string(script), object)
	if err != nil {
		fail(err.Error())
	}
	out, _ := json.Marshal(h)
	fmt.Println(string(out))
}

func run(script string, object map[string]any) (health, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, lua.OpenOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return health{}, err
		}
	}
	restrictOs(l)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, object))

	fn, err := l.LoadString(script)
	if err != nil {
		return health{}, err
	}
	l.Push(fn)
	if err := l.PCall(0, lua.MultRet, nil); err != nil {
		return health{}, err
	}
	return readHealth(l.Get(-1))
}

// restrictOs keeps only os.time and os.date, the two functions Argo CD's safe os library offers.
func restrictOs(l *lua.LState) {
	os := l.GetGlobal(lua.OsLibName).(*lua.LTable)
	var drop []lua.LValue
	os.ForEach(func(k, _ lua.LValue) {
		if k.String() != "time" && k.String() != "date" {
			drop = append(drop, k)
		}
	})
	for _, k := range drop {
		os.RawSet(k, lua.LNil)
	}
}

// toLua converts decoded JSON as Argo CD converts an unstructured object: numbers become Lua numbers,
// objects hash tables, arrays sequences (index 1..n), null nil.
func toLua(l *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case []any:
		t := l.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetH(lua.LString(k), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

// readHealth reads the returned value as Argo CD does: nil or an empty table is an empty status, a
// status outside the six Argo CD knows is Unknown, status and message must be strings.
func readHealth(v lua.LValue) (health, error) {
	switch t := v.(type) {
	case *lua.LNilType:
		return health{}, nil
	case *lua.LTable:
		var h health
		var err error
		if h.Status, err = field(t, "status"); err != nil {
			return health{}, err
		}
		if h.Message, err = field(t, "message"); err != nil {
			return health{}, err
		}
		if h == (health{}) {
			return h, nil
		}
		if !validStatus[h.Status] {
			return health{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
		}
		return h, nil
	}
	return health{}, fmt.Errorf("expect table output from Lua script, not %s", v.Type().String())
}

func field(t *lua.LTable, name string) (string, error) {
	switch v := t.RawGetString(name).(type) {
	case *lua.LNilType:
		return "", nil
	case lua.LString:
		return string(v), nil
	default:
		return "", fmt.Errorf("hs.%s must be a string, the script returned a %s", name, v.Type().String())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "argocd-lua: "+msg)
	os.Exit(1)
}
